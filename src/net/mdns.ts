/**
 * Multicast DNS (RFC 6762) as ICE uses it (draft-ietf-mmusic-mdns-ice-candidates): resolving
 * the `.local` names of remote candidates, and answering for the names that hide our own
 * host addresses. One multicast-dns socket per process, shared by every agent: acquireMdns()
 * counts its users and the last release() closes it, so an idle process can exit.
 *
 * Resolution asks for A and AAAA, again after 1 s and 3 s (RFC 6762 §5.2 doubles the
 * interval), and takes the first address answered; it gives up after the caller's timeout.
 * A name is asked for once however many wait for it: browsers answer at most once a second
 * and queue an answer per query (Chromium drops those it cannot send within 10 s), so
 * repeated questions delay the answers everyone waits for. Addresses seen in any response,
 * announcements included, are cached for their TTL (§10, at most 120 s; a TTL of 0 says
 * goodbye): a browser announces its names as it gathers and keeps them for the session, so
 * the next connection to it resolves them at once. Answers to our names are multicast with
 * a TTL of 120 s. Whatever the network sends is only looked at, never trusted to be well
 * formed; the cache is bounded.
 */
import { createRequire } from 'node:module';
import { canonicalIp, ipFamily } from './address.js';

interface MdnsRecord {
  name?: unknown;
  type?: unknown;
  ttl?: unknown;
  data?: unknown;
}

interface MdnsPacket {
  questions?: MdnsRecord[];
  answers?: MdnsRecord[];
  additionals?: MdnsRecord[];
}

/** The part of the multicast-dns 7 API we use. */
interface MulticastDns {
  on(event: 'query' | 'response', listener: (packet: MdnsPacket) => void): void;
  on(event: 'error' | 'warning', listener: (error: Error) => void): void;
  query(packet: { questions: { name: string; type: string }[] }): void;
  respond(packet: {
    answers: { name: string; type: string; ttl: number; flush: boolean; data: string }[];
  }): void;
  destroy(): void;
}

type Factory = (options?: object) => MulticastDns;

export interface MdnsUser {
  /** The address `name` resolves to (canonical text), or undefined after `timeout` ms. */
  resolve(name: string, timeout: number): Promise<string | undefined>;
  /** Answers queries for `name` with `address` until release(). */
  register(name: string, address: string): void;
  /** Drops this user's names and resolutions; the last user closes the socket. */
  release(): void;
}

/** Names being resolved at once, over every user: more wait for nothing. */
const MAX_PENDING = 64;
const RETRIES = [1000, 3000];
/** Seconds: the TTL of our answers, and the longest an address seen is cached. */
const TTL = 120;
/** Names whose addresses are cached. */
const MAX_CACHED = 256;

interface Waiter {
  user: User;
  resolve(address: string | undefined): void;
  /** Its own timeout. */
  timer: NodeJS.Timeout;
}

/** A name being resolved: who waits, and its queries still to send. */
interface Resolution {
  waiters: Set<Waiter>;
  timers: NodeJS.Timeout[];
}

let socket: MulticastDns | undefined;
let users = 0;
/** Lower-case name to its resolution in progress. */
const pending = new Map<string, Resolution>();
/** Lower-case name to an address seen in a response, oldest first. */
const cache = new Map<string, { address: string; expires: number }>();
/** Lower-case name to the address we answer with. */
const names = new Map<string, { name: string; address: string }>();

/** The process's mDNS socket, shared; release() the handle when done. */
export function acquireMdns(): MdnsUser {
  return new User();
}

class User implements MdnsUser {
  #released = false;
  readonly #names = new Set<string>();

  constructor() {
    users++;
  }

  resolve(name: string, timeout: number): Promise<string | undefined> {
    const key = name.toLowerCase();
    if (this.#released) return Promise.resolve(undefined);
    const cached = cache.get(key);
    if (cached !== undefined && cached.expires > Date.now()) return Promise.resolve(cached.address);
    let resolution = pending.get(key);
    if (resolution === undefined && pending.size >= MAX_PENDING) return Promise.resolve(undefined);
    const mdns = open();
    if (resolution === undefined) {
      const ask = () =>
        mdns.query({
          questions: [
            { name, type: 'A' },
            { name, type: 'AAAA' },
          ],
        });
      ask();
      resolution = { waiters: new Set(), timers: RETRIES.map((at) => later(ask, at)) };
      pending.set(key, resolution);
    }
    const waiters = resolution.waiters;
    return new Promise((resolve) => {
      const waiter: Waiter = {
        user: this,
        resolve,
        timer: later(() => settle(key, waiter, undefined), timeout),
      };
      waiters.add(waiter);
    });
  }

  register(name: string, address: string): void {
    if (this.#released) return;
    open();
    const key = name.toLowerCase();
    names.set(key, { name, address });
    this.#names.add(key);
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    for (const key of this.#names) names.delete(key);
    for (const [key, { waiters }] of pending)
      for (const waiter of waiters) if (waiter.user === this) settle(key, waiter, undefined);
    if (--users === 0 && socket !== undefined) {
      socket.destroy();
      socket = undefined;
    }
  }
}

function later(run: () => void, ms: number): NodeJS.Timeout {
  const timer = setTimeout(run, ms);
  timer.unref();
  return timer;
}

function settle(key: string, waiter: Waiter, address: string | undefined): void {
  const resolution = pending.get(key);
  if (!resolution?.waiters.delete(waiter)) return;
  clearTimeout(waiter.timer);
  if (resolution.waiters.size === 0) {
    pending.delete(key);
    for (const timer of resolution.timers) clearTimeout(timer);
  }
  waiter.resolve(address);
}

function open(): MulticastDns {
  if (socket !== undefined) return socket;
  const factory = createRequire(import.meta.url)('multicast-dns') as Factory;
  const mdns = factory();
  // Bind and membership failures (no multicast route, port taken) leave resolution to time out.
  mdns.on('error', () => {});
  mdns.on('warning', () => {});
  mdns.on('response', (packet) => {
    for (const record of [...(packet.answers ?? []), ...(packet.additionals ?? [])])
      answered(record);
  });
  mdns.on('query', (packet) => {
    for (const question of packet.questions ?? []) answer(mdns, question);
  });
  socket = mdns;
  return mdns;
}

/** A response record: an address to cache, and for whoever waits for its name. */
function answered(record: MdnsRecord): void {
  if (typeof record.name !== 'string' || (record.type !== 'A' && record.type !== 'AAAA')) return;
  if (typeof record.data !== 'string' || typeof record.ttl !== 'number') return;
  const address = canonicalIp(record.data);
  if (address === undefined || (ipFamily(address) === 4) !== (record.type === 'A')) return;
  const key = record.name.toLowerCase();
  cache.delete(key);
  if (record.ttl <= 0) return; // §10.1: a goodbye
  cache.set(key, { address, expires: Date.now() + Math.min(record.ttl, TTL) * 1000 });
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  const resolution = pending.get(key);
  if (resolution === undefined) return;
  for (const waiter of [...resolution.waiters]) settle(key, waiter, address);
}

/** A question for one of our names: answered with its address (RFC 6762 §6). */
function answer(mdns: MulticastDns, question: MdnsRecord): void {
  if (typeof question.name !== 'string') return;
  const ours = names.get(question.name.toLowerCase());
  if (ours === undefined) return;
  const type = ipFamily(ours.address) === 6 ? 'AAAA' : 'A';
  if (question.type !== type && question.type !== 'ANY') return;
  mdns.respond({
    answers: [{ name: ours.name, type, ttl: TTL, flush: true, data: ours.address }],
  });
}
