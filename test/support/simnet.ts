/**
 * A simulated datagram network with a fake clock, for deterministic tests of the
 * sans-IO protocol cores: loss, delay, jitter (reordering), duplication, an MTU,
 * a bottleneck rate with a drop-tail queue, and NATs that rewrite addresses.
 *
 * Nothing here touches a socket or a real timer: `run()` jumps the clock from one
 * event (a datagram arriving, a core's deadline) to the next, so minutes of protocol
 * time take milliseconds and every run with the same seed is the same.
 */
import type { Timed } from '../../src/net/timer.js';

export interface SimAddress {
  address: string;
  port: number;
}

export interface LinkOptions {
  /** Probability (0..1) that a datagram is lost. */
  loss?: number;
  /** One-way base delay in ms. */
  delay?: number;
  /** Uniform extra delay in [0, jitter) ms per datagram; reorders datagrams. */
  jitter?: number;
  /** Probability (0..1) that a datagram is delivered twice. */
  duplicate?: number;
  /** Datagrams longer than this many bytes are dropped. */
  mtu?: number;
  /** Bottleneck rate in bytes per ms (1000 = 1 MB/s) per direction between two hosts; unlimited when unset. */
  rate?: number;
  /** Bytes the bottleneck queue holds before it drops (drop-tail); with `rate` only. */
  queue?: number;
}

export interface Datagram {
  from: SimAddress;
  to: SimAddress;
  data: Buffer;
}

export type NatBehaviour =
  | 'endpoint-independent'
  | 'address-dependent'
  | 'address-and-port-dependent';

export interface NatOptions {
  /** The NAT's public address. */
  external: string;
  /** Addresses behind the NAT. */
  inside: (address: string) => boolean;
  /** RFC 4787 mapping behaviour; 'address-and-port-dependent' makes a symmetric NAT. */
  mapping?: NatBehaviour;
  /** RFC 4787 filtering behaviour. */
  filtering?: NatBehaviour;
}

export type Receiver = (data: Buffer, from: SimAddress) => void;

export class SimSocket {
  closed = false;
  constructor(
    readonly net: SimNetwork,
    readonly local: SimAddress,
    public onReceive: Receiver,
  ) {}
  send(data: Uint8Array, to: SimAddress): void {
    if (!this.closed) this.net.send(this.local, to, data);
  }
  close(): void {
    this.closed = true;
    this.net.unbind(this.local);
  }
}

interface Pending {
  at: number;
  seq: number;
  to: SimAddress;
  from: SimAddress;
  data: Buffer;
}

interface Mapping {
  internal: SimAddress;
  externalPort: number;
  /** Remote "ip" or "ip:port" keys the inside host has sent to, for filtering. */
  sentTo: Set<string>;
}

class Nat {
  readonly mapping: NatBehaviour;
  readonly filtering: NatBehaviour;
  readonly byKey = new Map<string, Mapping>();
  readonly byPort = new Map<number, Mapping>();
  nextPort = 40000;
  constructor(readonly options: NatOptions) {
    this.mapping = options.mapping ?? 'endpoint-independent';
    this.filtering = options.filtering ?? 'address-and-port-dependent';
  }

  outbound(from: SimAddress, to: SimAddress): SimAddress {
    const key = `${addrKey(from)}>${behaviourKey(this.mapping, to)}`;
    let m = this.byKey.get(key);
    if (!m) {
      m = { internal: from, externalPort: this.nextPort++, sentTo: new Set() };
      this.byKey.set(key, m);
      this.byPort.set(m.externalPort, m);
    }
    m.sentTo.add(behaviourKey(this.filtering, to));
    return { address: this.options.external, port: m.externalPort };
  }

  inbound(from: SimAddress, to: SimAddress): SimAddress | undefined {
    const m = this.byPort.get(to.port);
    if (!m?.sentTo.has(behaviourKey(this.filtering, from))) return undefined;
    return m.internal;
  }
}

function addrKey(a: SimAddress): string {
  return `${a.address}:${a.port}`;
}

function behaviourKey(b: NatBehaviour, a: SimAddress): string {
  if (b === 'endpoint-independent') return '*';
  if (b === 'address-dependent') return a.address;
  return addrKey(a);
}

/** mulberry32: a small seeded PRNG so that a failing run can be replayed. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class SimNetwork {
  /** The fake clock, in ms. Pass it to the cores as `now`. */
  now = 0;
  link: LinkOptions;
  /** Seen before the link decides: return false to drop a datagram (for targeted loss). */
  filter: ((d: Datagram) => boolean) | undefined;
  readonly stats = { sent: 0, delivered: 0, lost: 0, duplicated: 0, tooBig: 0, queueDrops: 0 };
  readonly random: () => number;

  readonly #sockets = new Map<string, SimSocket>();
  readonly #timed = new Set<Timed>();
  readonly #nats: Nat[] = [];
  readonly #heap: Pending[] = [];
  readonly #busyUntil = new Map<string, number>();
  #seq = 0;
  #nextPort = 50000;

  constructor(options: LinkOptions & { seed?: number } = {}) {
    const { seed = 1, ...link } = options;
    this.link = link;
    this.random = prng(seed);
  }

  /** Binds a socket; port 0 picks a free one. */
  bind(local: SimAddress, onReceive: Receiver): SimSocket {
    const addr = { address: local.address, port: local.port || this.#nextPort++ };
    if (this.#sockets.has(addrKey(addr))) throw new Error(`address in use: ${addrKey(addr)}`);
    const socket = new SimSocket(this, addr, onReceive);
    this.#sockets.set(addrKey(addr), socket);
    return socket;
  }

  unbind(local: SimAddress): void {
    this.#sockets.delete(addrKey(local));
  }

  /** Registers a core whose deadlines the clock must stop at. */
  addTimed(core: Timed): void {
    this.#timed.add(core);
  }

  removeTimed(core: Timed): void {
    this.#timed.delete(core);
  }

  addNat(options: NatOptions): void {
    this.#nats.push(new Nat(options));
  }

  send(from: SimAddress, to: SimAddress, data: Uint8Array): void {
    this.stats.sent++;
    const copy = Buffer.from(data); // the sender may reuse its buffer
    const link = this.link;
    if (this.filter && !this.filter({ from, to, data: copy })) return void this.stats.lost++;
    if (link.mtu !== undefined && copy.length > link.mtu) return void this.stats.tooBig++;
    if (link.loss && this.random() < link.loss) return void this.stats.lost++;

    // NAT on the way out: the sender's NAT rewrites the source.
    let src = from;
    const outNat = this.#nats.find(
      (n) => n.options.inside(from.address) && !n.options.inside(to.address),
    );
    if (outNat) src = outNat.outbound(from, to);

    let at = this.now + (link.delay ?? 0);
    if (link.rate) {
      const pathKey = `${src.address}>${to.address}`;
      const busy = Math.max(this.#busyUntil.get(pathKey) ?? 0, this.now);
      const queued = (busy - this.now) * link.rate;
      if (link.queue !== undefined && queued + copy.length > link.queue)
        return void this.stats.queueDrops++;
      const done = busy + copy.length / link.rate;
      this.#busyUntil.set(pathKey, done);
      at = done + (link.delay ?? 0);
    }
    this.#push(at + (link.jitter ? this.random() * link.jitter : 0), src, to, copy);
    if (link.duplicate && this.random() < link.duplicate) {
      this.stats.duplicated++;
      this.#push(at + (link.jitter ? this.random() * link.jitter : 0), src, to, copy);
    }
  }

  /**
   * Runs the simulation until `until()` holds (checked after every event), the clock
   * passes `timeout` ms from now, or nothing is left to happen. Returns whether `until` held.
   */
  run(options: { until?: () => boolean; timeout?: number; maxSteps?: number } = {}): boolean {
    const { until, timeout = 60_000, maxSteps = 10_000_000 } = options;
    const end = this.now + timeout;
    for (let steps = 0; steps < maxSteps; steps++) {
      if (until?.()) return true;
      const nextPacket = this.#heap.length > 0 ? this.#heap[0]!.at : Number.POSITIVE_INFINITY;
      let nextTimer = Number.POSITIVE_INFINITY;
      for (const t of this.#timed) {
        const d = t.nextDeadline();
        if (d !== undefined && d < nextTimer) nextTimer = d;
      }
      const next = Math.min(nextPacket, nextTimer);
      if (next === Number.POSITIVE_INFINITY || next > end) {
        if (next !== Number.POSITIVE_INFINITY) this.now = end;
        return until?.() ?? false;
      }
      if (next > this.now) this.now = next;
      if (nextPacket <= nextTimer) this.#deliver(this.#pop());
      else
        for (const t of [...this.#timed]) {
          const d = t.nextDeadline();
          if (d !== undefined && d <= this.now) t.handleTimeout(this.now);
        }
    }
    throw new Error(
      `simulation did not settle in ${maxSteps} steps (a busy loop at t=${this.now}?)`,
    );
  }

  /** Advances the clock by `ms`, processing everything due on the way. */
  advance(ms: number): void {
    this.run({ timeout: ms });
  }

  #deliver(p: Pending): void {
    let to = p.to;
    const inNat = this.#nats.find((n) => n.options.external === to.address);
    if (inNat) {
      const internal = inNat.inbound(p.from, to);
      if (!internal) return void this.stats.lost++;
      to = internal;
    }
    const socket = this.#sockets.get(addrKey(to));
    if (!socket || socket.closed) return void this.stats.lost++;
    this.stats.delivered++;
    socket.onReceive(p.data, p.from);
  }

  #push(at: number, from: SimAddress, to: SimAddress, data: Buffer): void {
    const heap = this.#heap;
    heap.push({ at, seq: this.#seq++, from, to, data });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (before(heap[parent]!, heap[i]!)) break;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
  }

  #pop(): Pending {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i]!, heap[m]!];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Pending, b: Pending): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
