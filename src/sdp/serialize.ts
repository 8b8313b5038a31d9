/** Writing the model of ./description.ts as SDP text: RFC 8866 line order, CRLF after every line. */

import type {
  Attribute,
  Bandwidth,
  Connection,
  MediaDescription,
  SessionDescription,
} from './description.js';

export function serializeSdp(d: SessionDescription): string {
  const o = d.origin;
  let s = `v=${d.version}\r\n`;
  s += `o=${o.username} ${o.sessionId} ${o.sessionVersion} ${o.netType} ${o.addrType} ${o.address}\r\n`;
  s += `s=${d.sessionName}\r\n`;
  if (d.information !== undefined) s += `i=${d.information}\r\n`;
  if (d.uri !== undefined) s += `u=${d.uri}\r\n`;
  for (const e of d.emails) s += `e=${e}\r\n`;
  for (const p of d.phones) s += `p=${p}\r\n`;
  if (d.connection) s += connectionLine(d.connection);
  s += bandwidthLines(d.bandwidths);
  for (const t of d.timing) {
    s += `t=${t.start} ${t.stop}\r\n`;
    for (const r of t.repeats) s += `r=${r}\r\n`;
  }
  if (d.zone !== undefined) s += `z=${d.zone}\r\n`;
  if (d.key !== undefined) s += `k=${d.key}\r\n`;
  s += attributeLines(d.attributes);
  for (const m of d.media) s += serializeMedia(m);
  return s;
}

export function serializeMedia(m: MediaDescription): string {
  const port = m.portCount === undefined ? `${m.port}` : `${m.port}/${m.portCount}`;
  let s = `m=${m.media} ${port} ${m.proto} ${m.formats.join(' ')}\r\n`;
  if (m.information !== undefined) s += `i=${m.information}\r\n`;
  for (const c of m.connections) s += connectionLine(c);
  s += bandwidthLines(m.bandwidths);
  if (m.key !== undefined) s += `k=${m.key}\r\n`;
  return s + attributeLines(m.attributes);
}

/** One attribute as it appears after `a=`. */
export function attributeText(a: Attribute): string {
  return a.value === null ? a.name : `${a.name}:${a.value}`;
}

function connectionLine(c: Connection): string {
  return `c=${c.netType} ${c.addrType} ${c.address}\r\n`;
}

function bandwidthLines(bandwidths: readonly Bandwidth[]): string {
  let s = '';
  for (const b of bandwidths) s += `b=${b.type}:${b.bandwidth}\r\n`;
  return s;
}

function attributeLines(attributes: readonly Attribute[]): string {
  let s = '';
  for (const a of attributes) s += `a=${attributeText(a)}\r\n`;
  return s;
}
