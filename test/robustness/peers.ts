/**
 * Two of our peer connections on loopback for the fault and leak tests: a connected pair
 * with an open channel, a transfer whose every byte is checked, and access to the UDP
 * socket under a connection's selected pair, to put datagrams in front of it as if the peer
 * had sent them.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, fork } from 'node:child_process';
import type { Socket } from 'node:dgram';
import type { RTCDataChannelEvent, RTCPeerConnectionIceEvent } from '../../src/webrtc/events.js';
import type { RTCDataChannel } from '../../src/webrtc/RTCDataChannel.js';
import type { RTCIceCandidateInit } from '../../src/webrtc/RTCIceCandidate.js';
import type { RTCPeerConnection } from '../../src/webrtc/RTCPeerConnection.js';
import { negotiate, once, trickle } from '../webrtc/pc-helpers.js';

/** Connects a → b and resolves with a's channel and b's matching one, both open. */
export async function channelPair(
  a: RTCPeerConnection,
  b: RTCPeerConnection,
  init: Parameters<RTCPeerConnection['createDataChannel']>[1] = {},
): Promise<[RTCDataChannel, RTCDataChannel]> {
  trickle(a, b);
  const local = a.createDataChannel('robustness', init);
  const remote = once<RTCDataChannelEvent>(b, 'datachannel');
  const opened = once(local, 'open');
  await negotiate(a, b);
  const { channel } = await remote;
  await opened;
  if (channel.readyState !== 'open') await once(channel, 'open');
  channel.binaryType = 'arraybuffer';
  return [local, channel];
}

/**
 * Resolves once ICE has nominated its pair (iceConnectionState 'completed'): before that
 * the selected pair may still move, e.g. from IPv4 to IPv6 loopback.
 */
export async function nominated(pc: RTCPeerConnection): Promise<void> {
  while (pc.iceConnectionState !== 'completed') await once(pc, 'iceconnectionstatechange');
}

/** The local and remote transport addresses of a connection's selected pair. */
export function selectedPair(pc: RTCPeerConnection): {
  local: { address: string; port: number };
  remote: { address: string; port: number };
} {
  const pair = pc.sctp!.transport.iceTransport.getSelectedCandidatePair();
  assert.ok(pair, 'a selected pair');
  return {
    local: { address: pair.local.address!, port: pair.local.port! },
    remote: { address: pair.remote.address!, port: pair.remote.port! },
  };
}

/** The node:dgram socket bound to `port` in this process. */
export function udpSocketOn(port: number): Socket {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  for (const h of handles) {
    const s = h as Socket & { type?: string };
    if ((s.type === 'udp4' || s.type === 'udp6') && s.address().port === port) return s;
  }
  throw new Error(`no UDP socket on port ${port}`);
}

/** Hands `datagram` to the socket as if it had arrived from `from`. */
export function inject(
  socket: Socket,
  datagram: Buffer,
  from: { address: string; port: number },
): void {
  const family = from.address.includes(':') ? 'IPv6' : 'IPv4';
  socket.emit('message', datagram, {
    address: from.address,
    port: from.port,
    family,
    size: datagram.length,
  });
}

/** Records what a socket sends (a copy of each datagram) until `stop()`. */
export function tapSends(socket: Socket): { sent: Buffer[]; stop(): void } {
  const original = socket.send;
  const sent: Buffer[] = [];
  socket.send = function (this: Socket, ...args: unknown[]) {
    const data = args[0];
    if (Buffer.isBuffer(data) || data instanceof Uint8Array) sent.push(Buffer.from(data));
    return (original as (...a: unknown[]) => void).apply(this, args);
  } as typeof socket.send;
  return {
    sent,
    stop: () => {
      socket.send = original;
    },
  };
}

/** Deterministic bytes of message `i`. */
export function chunk(i: number, size: number): Uint8Array {
  const b = new Uint8Array(size);
  let x = (i * 2654435761) >>> 0;
  for (let k = 0; k < size; k++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[k] = x >>> 24;
  }
  return b;
}

export interface Transfer {
  /** Resolves when every message arrived; rejects on a wrong, missing or repeated byte. */
  done: Promise<void>;
  received: number;
}

/**
 * Sends `count` messages of `size` bytes on `from` (paced by bufferedAmount) and checks that
 * `to` receives each once, in order, byte for byte.
 */
export function transfer(
  from: RTCDataChannel,
  to: RTCDataChannel,
  count: number,
  size: number,
): Transfer {
  const state: Transfer = { done: undefined as unknown as Promise<void>, received: 0 };
  state.done = new Promise<void>((resolve, reject) => {
    to.onmessage = (e) => {
      const data = new Uint8Array((e as MessageEvent).data as ArrayBuffer);
      const want = chunk(state.received, size);
      if (data.length !== size || Buffer.compare(data, want) !== 0)
        reject(new Error(`message ${state.received} arrived wrong (${data.length} bytes)`));
      if (++state.received === count) {
        resolve();
        to.onmessage = null;
      }
    };
    to.onclose = () =>
      reject(new Error(`channel closed after ${state.received} of ${count} messages`));
  });
  let sent = 0;
  from.bufferedAmountLowThreshold = 256 * 1024;
  const pump = () => {
    while (sent < count && from.bufferedAmount < 1024 * 1024) {
      from.send(chunk(sent++, size));
    }
  };
  from.onbufferedamountlow = pump;
  pump();
  return state;
}

/** What the parent and the child peer (fixtures/peer-child.ts) tell each other over IPC. */
export type Signal =
  | { kind: 'ready' }
  | { kind: 'description'; description: { type: 'offer' | 'answer'; sdp: string } }
  | { kind: 'candidate'; candidate: RTCIceCandidateInit | null };

/**
 * Starts a peer connection in a child process and connects `pc` to it with a channel;
 * resolves with the child and the open channel (the child echoes what it receives).
 */
export async function childPeer(
  pc: RTCPeerConnection,
): Promise<{ child: ChildProcess; channel: RTCDataChannel }> {
  const child = fork(new URL('./fixtures/peer-child.ts', import.meta.url), {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const send = (m: Signal) => {
    if (child.connected) child.send(m);
  };
  const ready = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.on('message', async (m: Signal) => {
      if (m.kind === 'ready') resolve();
      else if (m.kind === 'candidate')
        await pc.addIceCandidate(m.candidate ?? undefined).catch(() => {});
      else await pc.setRemoteDescription(m.description);
    });
  });
  pc.addEventListener('icecandidate', (e) => {
    const { candidate } = e as RTCPeerConnectionIceEvent;
    send({ kind: 'candidate', candidate: candidate?.toJSON() ?? null });
  });
  await ready;
  const channel = pc.createDataChannel('to the child');
  const opened = once(channel, 'open');
  await pc.setLocalDescription();
  const { type, sdp } = pc.localDescription!;
  send({ kind: 'description', description: { type: type as 'offer', sdp } });
  await opened;
  return { child, channel };
}
