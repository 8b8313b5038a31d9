/**
 * RTP attributes: rtpmap and fmtp (RFC 8866 §6.6, §6.15), rtcp-fb (RFC 4585 §4.2) and
 * rtcp (RFC 3605 §2.1). The property attributes rtcp-mux (RFC 5761), rtcp-mux-only
 * (RFC 8858) and rtcp-rsize (RFC 5506) carry no value.
 */

import type { Connection } from '../description.js';
import { parseInteger, parsePort, TOKEN } from '../grammar.js';

export interface RtpMap {
  payloadType: number;
  encodingName: string;
  clockRate: number;
  /** For audio, the number of channels. */
  encodingParameters?: number;
}

/** `rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]`. */
export function parseRtpMap(value: string | null): RtpMap | undefined {
  const m =
    value === null ? null : /^([0-9]{1,3}) ([^ /]+)\/([0-9]{1,10})(?:\/([0-9]{1,3}))?$/.exec(value);
  if (!m) return undefined;
  const payloadType = parseInteger(m[1]!, 127);
  if (payloadType === undefined || !TOKEN.test(m[2]!)) return undefined;
  const map: RtpMap = { payloadType, encodingName: m[2]!, clockRate: Number(m[3]) };
  if (m[4] !== undefined) map.encodingParameters = Number(m[4]);
  return map;
}

export function formatRtpMap(r: RtpMap): string {
  const params = r.encodingParameters === undefined ? '' : `/${r.encodingParameters}`;
  return `${r.payloadType} ${r.encodingName}/${r.clockRate}${params}`;
}

export interface Fmtp {
  /** The media format (for RTP, the payload type) the parameters belong to. */
  format: string;
  parameters: string;
}

/** `fmtp:<format> <format specific parameters>`. */
export function parseFmtp(value: string | null): Fmtp | undefined {
  if (value === null) return undefined;
  const space = value.indexOf(' ');
  if (space < 0 || space === value.length - 1) return undefined;
  const format = value.slice(0, space);
  return TOKEN.test(format) ? { format, parameters: value.slice(space + 1) } : undefined;
}

export function formatFmtp(f: Fmtp): string {
  return `${f.format} ${f.parameters}`;
}

/**
 * The `key=value;key=value` form most payload formats use for their fmtp parameters, as
 * [key, value] pairs in order; a parameter without `=` has the value undefined.
 */
export function parseFmtpParameters(parameters: string): [string, string | undefined][] {
  const out: [string, string | undefined][] = [];
  for (const part of parameters.split(';')) {
    const p = part.trim();
    if (p === '') continue;
    const eq = p.indexOf('=');
    out.push(eq < 0 ? [p, undefined] : [p.slice(0, eq).trim(), p.slice(eq + 1).trim()]);
  }
  return out;
}

export interface RtcpFeedback {
  /** A payload type, or `*` for all of them. */
  payloadType: string;
  type: string;
  parameter?: string;
}

/** `rtcp-fb:<rtcp-fb-pt> <rtcp-fb-val>`, e.g. `96 nack pli`, `* ccm fir`. */
export function parseRtcpFeedback(value: string | null): RtcpFeedback | undefined {
  const m = value === null ? null : /^(\*|[0-9]{1,3}) ([^ ]+)(?: (.+))?$/.exec(value);
  if (!m || !TOKEN.test(m[2]!)) return undefined;
  const fb: RtcpFeedback = { payloadType: m[1]!, type: m[2]! };
  if (m[3] !== undefined) fb.parameter = m[3];
  return fb;
}

export function formatRtcpFeedback(f: RtcpFeedback): string {
  return f.parameter === undefined
    ? `${f.payloadType} ${f.type}`
    : `${f.payloadType} ${f.type} ${f.parameter}`;
}

export interface Rtcp {
  port: number;
  connection?: Connection;
}

/** `rtcp:<port> [<nettype> <addrtype> <connection-address>]`. */
export function parseRtcp(value: string | null): Rtcp | undefined {
  if (value === null) return undefined;
  const f = value.split(' ');
  const port = parsePort(f[0]!);
  if (port === undefined) return undefined;
  if (f.length === 1) return { port };
  if (f.length !== 4 || !TOKEN.test(f[1]!) || !TOKEN.test(f[2]!) || f[3] === '') return undefined;
  return { port, connection: { netType: f[1]!, addrType: f[2]!, address: f[3]! } };
}

export function formatRtcp(r: Rtcp): string {
  const c = r.connection;
  return c ? `${r.port} ${c.netType} ${c.addrType} ${c.address}` : `${r.port}`;
}
