/**
 * Two of our RTCPeerConnections in this process on loopback, through the public API only:
 * the time from `new RTCPeerConnection()` to an open data channel on both sides (trickled
 * candidates, median and 90th percentile of N), then the throughput of one reliable
 * ordered channel whose sender refills on `bufferedamountlow`, as applications do.
 *
 *   node --import tsx bench/pc-datachannel.ts [setups=20] [MiB=64] [message KiB=64]
 */
import { cpus } from 'node:os';
import type { RTCDataChannelEvent, RTCPeerConnectionIceEvent } from '../src/webrtc/events.js';
import type { RTCDataChannel } from '../src/webrtc/RTCDataChannel.js';
import { RTCPeerConnection } from '../src/webrtc/RTCPeerConnection.js';

const setups = Number(process.argv[2] ?? 20);
const MIB = 1024 * 1024;
const total = Number(process.argv[3] ?? 64) * MIB;
const messageSize = Number(process.argv[4] ?? 64) * 1024;

function once<T = Event>(target: EventTarget, type: string): Promise<T> {
  return new Promise((resolve) =>
    target.addEventListener(type, (e) => resolve(e as T), { once: true }),
  );
}

/** Two connected peers and their channel ends; `ms` from the first constructor to both open. */
async function connect(): Promise<{
  a: RTCPeerConnection;
  b: RTCPeerConnection;
  x: RTCDataChannel;
  y: RTCDataChannel;
  ms: number;
}> {
  const start = performance.now();
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  const trickle = (from: RTCPeerConnection, to: RTCPeerConnection) =>
    from.addEventListener('icecandidate', (e) => {
      to.addIceCandidate((e as RTCPeerConnectionIceEvent).candidate).catch(() => {});
    });
  trickle(a, b);
  trickle(b, a);
  const x = a.createDataChannel('bench');
  const opened = once(x, 'open');
  const remote = once<RTCDataChannelEvent>(b, 'datachannel');
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription!);
  const { channel: y } = await remote;
  if (y.readyState !== 'open') await once(y, 'open');
  await opened;
  return { a, b, x, y, ms: performance.now() - start };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

async function setupTimes(): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < setups; i++) {
    const { a, b, ms } = await connect();
    times.push(ms);
    a.close();
    b.close();
  }
  times.sort((p, q) => p - q);
  console.log(
    `new RTCPeerConnection -> open channel (${setups} setups): median ${quantile(times, 0.5).toFixed(1)} ms, p90 ${quantile(times, 0.9).toFixed(1)} ms`,
  );
}

async function throughput(): Promise<void> {
  const { a, b, x, y } = await connect();
  x.binaryType = 'arraybuffer';
  const message = new Uint8Array(messageSize).fill(0x5a);
  const count = Math.ceil(total / messageSize);
  x.bufferedAmountLowThreshold = 1 * MIB;
  let sent = 0;
  let received = 0;
  const start = performance.now();
  const done = new Promise<void>((resolve) => {
    y.onmessage = (e) => {
      received += (e.data as ArrayBuffer).byteLength;
      if (received >= count * messageSize) resolve();
    };
  });
  const fill = (): void => {
    // Keep about 4 MiB queued; refill when it drains under the threshold.
    while (sent < count && x.bufferedAmount < 4 * MIB) {
      x.send(message);
      sent++;
    }
  };
  x.onbufferedamountlow = fill;
  fill();
  await done;
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `one reliable ordered channel, ${messageSize / 1024} KiB messages: ${(received / MIB / seconds).toFixed(1)} MiB/s (${(received / MIB).toFixed(0)} MiB in ${seconds.toFixed(2)} s)`,
  );
  a.close();
  b.close();
}

console.log(`Node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}`);
await setupTimes();
await throughput();
