/**
 * Scale: `pairs` connected pairs in one process, each with an open data channel, all
 * connecting at once. Figures: the time until every channel is open on both sides; heap
 * and RSS per RTCPeerConnection (each pair is two) over the process before them, after a
 * garbage collection; and the CPU the process uses while they sit idle (consent
 * freshness, keepalives, timers) as a share of one core over `idleSeconds`.
 *
 * Runs in a fresh process started with --expose-gc, one stack per process.
 */
import { answer, offer, type Side } from '../lib/session.js';
import { signalPair } from '../lib/signal.js';
import { closePeer, type PeerConnection } from '../lib/stacks.js';
import type { SoloWorkload } from '../lib/workload.js';

const KIB = 1024;

async function collect(): Promise<NodeJS.MemoryUsage> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the scale workload needs node --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage();
}

export const scale: SoloWorkload = {
  kind: 'solo',
  async run(load, name, params) {
    const stack = await load(name);
    const pairs = Number(params.pairs);
    const idleSeconds = Number(params.idleSeconds);
    const connectPair = async (session: string): Promise<PeerConnection[]> => {
      const [x, y] = signalPair();
      const a: Side = { stack, signal: x, session };
      const b: Side = { stack, signal: y, session };
      const [offered, answered] = await Promise.all([offer(a), answer(b)]);
      return [offered.pc, answered.pc];
    };
    // One pair first, so that what every connection shares (code, certificates) is in the baseline.
    for (const pc of await connectPair('warm-up')) await closePeer(pc);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = await collect();

    const start = performance.now();
    const connected = await Promise.all(
      Array.from({ length: pairs }, (_, i) => connectPair(`pair-${i}`)),
    );
    const connectMs = performance.now() - start;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = await collect();

    const cpu = process.cpuUsage();
    const wall = performance.now();
    await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
    const used = process.cpuUsage(cpu);
    const idle = ((used.user + used.system) / 1000 / (performance.now() - wall)) * 100;

    await Promise.all(connected.flat().map(closePeer));
    const connections = 2 * pairs;
    return {
      'connect ms': connectMs,
      'heap KiB/pc': (after.heapUsed - before.heapUsed) / KIB / connections,
      'RSS KiB/pc': (after.rss - before.rss) / KIB / connections,
      'idle CPU %': idle,
    };
  },
};
