/**
 * Every fuzz target, in the order `npm run fuzz` runs them. Each loads on demand, so that a
 * layer that does not compile only stops its own targets.
 */
import type { FuzzTarget } from '../target.js';

const loaders: Record<string, () => Promise<FuzzTarget>> = {
  stun: async () => (await import('./stun.js')).stunTarget,
  ice: async () => (await import('./ice.js')).iceTarget,
  'dtls-handshake': async () => (await import('./dtls.js')).dtlsHandshakeTarget as FuzzTarget,
  'dtls-record': async () => (await import('./dtls.js')).dtlsRecordTarget as FuzzTarget,
  sctp: async () => (await import('./sctp.js')).sctpTarget,
  dcep: async () => (await import('./dcep.js')).dcepTarget,
  turn: async () => (await import('./turn.js')).turnTarget,
  sdp: async () => (await import('./sdp.js')).sdpTarget,
  candidate: async () => (await import('./sdp.js')).candidateTarget,
  'sdp-apply': async () => (await import('./webrtc.js')).webrtcTarget,
};

export const targetNames: readonly string[] = Object.keys(loaders);

export function loadTarget(name: string): Promise<FuzzTarget> {
  const load = loaders[name];
  if (!load) throw new Error(`no fuzz target '${name}'`);
  return load();
}
