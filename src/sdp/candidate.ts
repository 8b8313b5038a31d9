/**
 * The candidate attribute (RFC 8839 §5.1, with the ICE-TCP `tcptype` of RFC 6544 §4.5):
 *
 *   candidate-attribute = "candidate" ":" foundation SP component-id SP transport SP
 *                         priority SP connection-address SP port SP "typ" SP cand-type
 *                         [SP "raddr" SP connection-address] [SP "rport" SP port]
 *                         *(SP extension-att-name SP extension-att-value)
 *
 * Parsing never throws; formatting writes what Chromium writes.
 */

import type { Candidate, CandidateProtocol, CandidateType, TcpType } from '../ice/candidate.js';
import { ICE_CHARS, isConnectionAddress, parseInteger, parsePort, TOKEN } from './grammar.js';

export type CandidateParseResult =
  | { ok: true; candidate: Candidate }
  /**
   * `unsupported` marks a line that follows the grammar but names a transport or a
   * candidate type we do not know (RFC 8839 §5.1: such candidates are ignored).
   */
  | { ok: false; error: string; unsupported?: true };

const types: ReadonlySet<string> = new Set<CandidateType>(['host', 'srflx', 'prflx', 'relay']);
const protocols: ReadonlySet<string> = new Set<CandidateProtocol>(['udp', 'tcp']);
const tcpTypes: ReadonlySet<string> = new Set<TcpType>(['active', 'passive', 'so']);

/** Parses `candidate:...` or `a=candidate:...` (the `candidate` member of RTCIceCandidateInit). */
export function parseCandidate(text: string): CandidateParseResult {
  if (typeof text !== 'string') return { ok: false, error: 'not a string' };
  let s = text.startsWith('a=') ? text.slice(2) : text;
  // ABNF literals are case-insensitive (RFC 5234 §2.3).
  if (s.slice(0, 10).toLowerCase() !== 'candidate:') {
    return { ok: false, error: 'does not start with candidate:' };
  }
  s = s.slice(10);
  return parseCandidateValue(s.endsWith('\r') ? s.slice(0, -1) : s);
}

/** Parses the value of an `a=candidate` attribute (the text after `candidate:`). */
export function parseCandidateValue(value: string): CandidateParseResult {
  const f = value.split(' ');
  if (f.length < 8 || f.some((x) => x === '')) {
    return { ok: false, error: 'needs 8 fields separated by single spaces' };
  }
  const [foundation, component, transport, priority, address, port, typ, type] = f as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (foundation.length > 32 || !ICE_CHARS.test(foundation)) {
    return { ok: false, error: 'foundation must be 1 to 32 ice-chars' };
  }
  // component-id = 1*3DIGIT; RFC 8445 §5.1.1.1 numbers components from 1 to 256.
  const componentId = parseInteger(component, 256, 3);
  if (!componentId) return { ok: false, error: 'component must be 1-256' };
  if (!TOKEN.test(transport)) return { ok: false, error: 'transport must be a token' };
  // priority = 1*10DIGIT, a 32-bit value (RFC 8445 §5.1.2).
  const prio = parseInteger(priority, 0xffffffff);
  if (prio === undefined) return { ok: false, error: 'priority must be 0-4294967295' };
  if (!isConnectionAddress(address)) return { ok: false, error: 'bad connection-address' };
  const portNumber = parsePort(port);
  if (portNumber === undefined) return { ok: false, error: 'port must be 0-65535' };
  if (typ.toLowerCase() !== 'typ') return { ok: false, error: 'typ expected after the port' };
  if (!TOKEN.test(type)) return { ok: false, error: 'candidate type must be a token' };
  if ((f.length - 8) % 2 !== 0) return { ok: false, error: 'an extension has no value' };

  const candidate: Candidate = {
    foundation,
    component: componentId,
    protocol: transport.toLowerCase() as CandidateProtocol,
    priority: prio,
    address,
    port: portNumber,
    type: type.toLowerCase() as CandidateType,
  };
  const extensions: [string, string][] = [];
  for (let i = 8; i < f.length; i += 2) {
    const name = f[i]!;
    const v = f[i + 1]!;
    if (!TOKEN.test(name)) return { ok: false, error: 'extension name must be a token' };
    if (!/^[\x21-\x7e]+$/.test(v)) return { ok: false, error: 'extension value must be VCHARs' };
    const key = name.toLowerCase();
    if (key === 'raddr' || key === 'rport' || key === 'tcptype') {
      const taken =
        key === 'raddr' ? 'relatedAddress' : key === 'rport' ? 'relatedPort' : 'tcpType';
      if (candidate[taken] !== undefined) return { ok: false, error: `${key} given twice` };
    }
    if (key === 'raddr') {
      if (!isConnectionAddress(v)) return { ok: false, error: 'bad raddr' };
      candidate.relatedAddress = v;
    } else if (key === 'rport') {
      const p = parsePort(v);
      if (p === undefined) return { ok: false, error: 'rport must be 0-65535' };
      candidate.relatedPort = p;
    } else if (key === 'tcptype') {
      const t = v.toLowerCase();
      if (!tcpTypes.has(t)) return { ok: false, error: 'tcptype must be active, passive or so' };
      candidate.tcpType = t as TcpType;
    } else {
      extensions.push([name, v]);
    }
  }
  if (extensions.length > 0) candidate.extensions = extensions;
  if (!protocols.has(candidate.protocol)) {
    return { ok: false, error: `unsupported transport ${transport}`, unsupported: true };
  }
  if (!types.has(candidate.type)) {
    return { ok: false, error: `unsupported candidate type ${type}`, unsupported: true };
  }
  return { ok: true, candidate };
}

/**
 * `candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type>
 * [raddr <a> rport <p>] [tcptype <t>] [<name> <value>]...`, as Chromium writes it.
 */
export function formatCandidate(c: Candidate): string {
  return `candidate:${formatCandidateValue(c)}`;
}

/** The value of an `a=candidate` attribute; `omit` drops extensions by name (such as `ufrag`). */
export function formatCandidateValue(c: Candidate, omit?: string): string {
  let s = `${c.foundation} ${c.component} ${c.protocol} ${c.priority} ${c.address} ${c.port} typ ${c.type}`;
  if (c.relatedAddress !== undefined) s += ` raddr ${c.relatedAddress}`;
  if (c.relatedPort !== undefined) s += ` rport ${c.relatedPort}`;
  if (c.tcpType !== undefined) s += ` tcptype ${c.tcpType}`;
  if (c.extensions)
    for (const [name, value] of c.extensions) if (name !== omit) s += ` ${name} ${value}`;
  return s;
}

/** The value of one extension attribute (such as `ufrag` or `generation`), or undefined. */
export function candidateExtension(c: Candidate, name: string): string | undefined {
  return c.extensions?.find(([n]) => n === name)?.[1];
}
