/**
 * One connection between the two peers of a workload, through the W3C API only: the
 * offerer makes a data channel and offers, both trickle their candidates, the answerer
 * takes the channel from its `datachannel` event. Every message of a session carries the
 * session's name, so that late candidates of an earlier connection are ignored.
 */
import type { Signal, SignalMessage } from './signal.js';
import {
  type Channel,
  candidateInit,
  closePeer,
  type PeerConnection,
  type SessionDescription,
  type Stack,
} from './stacks.js';

export interface Side {
  stack: Stack;
  signal: Signal;
  /** Names this connection's messages apart from other connections'. */
  session: string;
}

export interface Connected {
  pc: PeerConnection;
  channel: Channel;
}

const descriptionOf = (pc: PeerConnection, fallback: SessionDescription): SessionDescription => {
  const d = pc.localDescription ?? fallback;
  return { type: d.type, sdp: d.sdp };
};

function trickle(side: Side, pc: PeerConnection): void {
  pc.addEventListener('icecandidate', (e) => {
    const candidate = candidateInit(e.candidate);
    if (candidate) side.signal.send({ type: `${side.session}:candidate`, candidate });
  });
}

/** Remote candidates, once a remote description lets them apply. */
function acceptCandidates(side: Side, pc: PeerConnection): void {
  side.signal.on(`${side.session}:candidate`, (m: SignalMessage) => {
    pc.addIceCandidate(m.candidate).catch(() => {});
  });
}

export function opened(channel: Channel): Promise<void> {
  if (channel.readyState === 'open') return Promise.resolve();
  return new Promise((resolve) => channel.addEventListener('open', () => resolve()));
}

/**
 * The offering side: a new connection, its channel (handed to `prepare` before anything
 * can arrive on it), the offer; resolves once the channel is open.
 */
export async function offer(
  side: Side,
  init: Record<string, unknown> = {},
  prepare?: (channel: Channel) => void,
): Promise<Connected> {
  const pc = side.stack.create();
  const channel = pc.createDataChannel('bench', init);
  channel.binaryType = 'arraybuffer';
  prepare?.(channel);
  trickle(side, pc);
  const o = await pc.createOffer();
  await pc.setLocalDescription(o);
  side.signal.send({ type: `${side.session}:description`, description: descriptionOf(pc, o) });
  const { description } = await side.signal.next(`${side.session}:description`);
  await pc.setRemoteDescription(description as SessionDescription);
  acceptCandidates(side, pc);
  await opened(channel);
  return { pc, channel };
}

/** The answering side: waits for the offer; resolves with the announced channel once open. */
export async function answer(side: Side): Promise<Connected> {
  const { description } = await side.signal.next(`${side.session}:description`);
  const pc = side.stack.create();
  const announced = new Promise<Channel>((resolve) =>
    pc.addEventListener('datachannel', (e) => resolve(e.channel!)),
  );
  trickle(side, pc);
  await pc.setRemoteDescription(description as SessionDescription);
  acceptCandidates(side, pc);
  const a = await pc.createAnswer();
  await pc.setLocalDescription(a);
  side.signal.send({ type: `${side.session}:description`, description: descriptionOf(pc, a) });
  const channel = await announced;
  channel.binaryType = 'arraybuffer';
  await opened(channel);
  return { pc, channel };
}

/** Closes a side's connection once both sides are done with it. */
export async function hangUp(side: Side, pc: PeerConnection): Promise<void> {
  side.signal.send({ type: `${side.session}:done` });
  await side.signal.next(`${side.session}:done`);
  side.signal.off(`${side.session}:candidate`);
  await closePeer(pc);
}
