/**
 * Helpers for the RTCPeerConnection tests: two connections in one process on real
 * loopback sockets, trickling candidates to each other.
 */
import type { TestContext } from 'node:test';
import type { RTCConfiguration } from '../../src/webrtc/configuration.js';
import { RTCPeerConnection } from '../../src/webrtc/RTCPeerConnection.js';

/** A connection closed when the test ends. */
export function pc(t: TestContext, configuration?: RTCConfiguration): RTCPeerConnection {
  const connection = new RTCPeerConnection(configuration);
  t.after(() => connection.close());
  return connection;
}

/** Passes each connection's candidates to the other. */
export function trickle(a: RTCPeerConnection, b: RTCPeerConnection): void {
  a.addEventListener('icecandidate', (e) => {
    const { candidate } = e as Event & { candidate: unknown };
    if (b.signalingState !== 'closed') b.addIceCandidate(candidate as never).catch(() => {});
  });
  b.addEventListener('icecandidate', (e) => {
    const { candidate } = e as Event & { candidate: unknown };
    if (a.signalingState !== 'closed') a.addIceCandidate(candidate as never).catch(() => {});
  });
}

/** offerer.setLocalDescription, answerer.setRemoteDescription, and the answer back. */
export async function negotiate(
  offerer: RTCPeerConnection,
  answerer: RTCPeerConnection,
): Promise<void> {
  await offerer.setLocalDescription();
  await answerer.setRemoteDescription(offerer.localDescription!);
  await answerer.setLocalDescription();
  await offerer.setRemoteDescription(answerer.localDescription!);
}

/** Resolves when `target` fires `type` (once). */
export function once<T extends Event = Event>(target: EventTarget, type: string): Promise<T> {
  return new Promise((resolve) =>
    target.addEventListener(type, (e) => resolve(e as T), { once: true }),
  );
}

/** Resolves when `read()` is one of `states`, checking at each `type` event. */
export async function until(
  target: EventTarget,
  type: string,
  read: () => string,
  ...states: string[]
): Promise<void> {
  while (!states.includes(read())) await once(target, type);
}

/** Resolves with the events of `types` fired at `target`, in order, until `done` settles. */
export function record(target: EventTarget, types: string[], log: string[], prefix = ''): void {
  for (const type of types) target.addEventListener(type, () => log.push(prefix + type));
}

/** Lets queued tasks run. */
export function settle(ms = 0): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
