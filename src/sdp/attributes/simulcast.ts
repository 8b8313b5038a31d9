/** Simulcast, a=simulcast (RFC 8853 §5.1). */

import { RID_ID } from './rid.js';

/** One simulcast stream: a rid, and `~` when it starts paused. */
export interface SimulcastStream {
  rid: string;
  paused: boolean;
}

/** Streams in order; each entry lists alternative formats of one stream. */
export type SimulcastStreams = SimulcastStream[][];

export interface Simulcast {
  send?: SimulcastStreams;
  recv?: SimulcastStreams;
}

/** `simulcast:(send <list> [SP recv <list>]) / (recv <list> [SP send <list>])`. */
export function parseSimulcast(value: string | null): Simulcast | undefined {
  if (value === null) return undefined;
  const f = value.split(' ');
  if (f.length !== 2 && f.length !== 4) return undefined;
  const out: Simulcast = {};
  for (let i = 0; i < f.length; i += 2) {
    const dir = f[i];
    if ((dir !== 'send' && dir !== 'recv') || out[dir] !== undefined) return undefined;
    const streams = parseStreams(f[i + 1]!);
    if (!streams) return undefined;
    out[dir] = streams;
  }
  return out;
}

function parseStreams(list: string): SimulcastStreams | undefined {
  const streams: SimulcastStreams = [];
  for (const alternatives of list.split(';')) {
    const stream: SimulcastStream[] = [];
    for (const id of alternatives.split(',')) {
      const paused = id.startsWith('~');
      const rid = paused ? id.slice(1) : id;
      if (!RID_ID.test(rid)) return undefined;
      stream.push({ rid, paused });
    }
    streams.push(stream);
  }
  return streams;
}

export function formatSimulcast(s: Simulcast): string {
  const list = (streams: SimulcastStreams) =>
    streams.map((alt) => alt.map((x) => (x.paused ? `~${x.rid}` : x.rid)).join(',')).join(';');
  const parts: string[] = [];
  if (s.send) parts.push(`send ${list(s.send)}`);
  if (s.recv) parts.push(`recv ${list(s.recv)}`);
  return parts.join(' ');
}

/** Every rid a simulcast attribute names, with the direction the a=rid line must have. */
export function simulcastRids(s: Simulcast): { rid: string; direction: 'send' | 'recv' }[] {
  const out: { rid: string; direction: 'send' | 'recv' }[] = [];
  for (const direction of ['send', 'recv'] as const) {
    for (const alt of s[direction] ?? []) for (const x of alt) out.push({ rid: x.rid, direction });
  }
  return out;
}
