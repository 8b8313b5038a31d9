/**
 * Headless Chromium as the remote peer of our RTCPeerConnection: the page runs
 * browser-peer.js, which keeps its connections and channels by number and reports every
 * event to Node in order; the test drives it with `call(method, ...args)`. Signaling links
 * one of our connections to one of the page's, with or without trickle, in either direction.
 */
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { RTCConfiguration } from '../../src/webrtc/configuration.js';
import type { RTCDataChannelEvent, RTCPeerConnectionIceEvent } from '../../src/webrtc/events.js';
import type { RTCDataChannel } from '../../src/webrtc/RTCDataChannel.js';
import { RTCPeerConnection } from '../../src/webrtc/RTCPeerConnection.js';
import { type ChromiumOptions, type ChromiumSession, openChromium } from '../support/chromium.js';

const here = dirname(fileURLToPath(import.meta.url));

/** One event the page reported: on a connection (`pc`) or a channel (`ch`). */
export interface PageEvent {
  pc?: number;
  ch?: number;
  event: string;
  [field: string]: unknown;
}

/** A message as the page saw it (see summary() in browser-peer.js). */
export interface MessageSummary {
  binary: boolean;
  size: number;
  hash: number;
  text?: string;
}

/** The attributes of a page's channel. */
export interface PageChannelInfo {
  label: string;
  protocol: string;
  id: number | null;
  ordered: boolean;
  maxRetransmits: number | null;
  maxPacketLifeTime: number | null;
  negotiated: boolean;
  readyState: string;
}

export class ChromiumPeer {
  /** Every event the page reported, in order. */
  readonly events: PageEvent[] = [];
  readonly #listeners = new Set<(e: PageEvent) => void>();

  private constructor(readonly session: ChromiumSession) {}

  /** Chromium with browser-peer.js loaded; closed when the test file ends. */
  static async open(options: ChromiumOptions = {}): Promise<ChromiumPeer> {
    const session = await openChromium(options);
    const peer = new ChromiumPeer(session);
    try {
      await session.page.exposeFunction('toNode', (e: PageEvent) => peer.#report(e));
      await session.page.addScriptTag({ path: join(here, 'browser-peer.js') });
    } catch (err) {
      await session.close();
      throw err;
    }
    return peer;
  }

  #report(e: PageEvent): void {
    this.events.push(e);
    for (const listener of this.#listeners) listener(e);
  }

  /**
   * Calls `interop[method](...args)` in the page. A call still pending after 30 s fails: the
   * timer also keeps Node's event loop alive, which a pending page call alone does not.
   */
  call<T = unknown>(method: string, ...args: unknown[]): Promise<T> {
    const result = this.session.page.evaluate(
      ([m, a]) =>
        (globalThis as unknown as Record<string, Record<string, (...x: unknown[]) => unknown>>)
          .interop![m as string]!(...(a as unknown[])),
      [method, args] as const,
    ) as Promise<T>;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`page call ${method} pending after 30 s`)), 30_000);
    });
    return Promise.race([result, timeout]).finally(() => clearTimeout(timer));
  }

  /** Calls `listener` for each event from now on, until the returned function is called. */
  on(listener: (e: PageEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The first event (already seen or coming) that `match` accepts. */
  waitFor(match: (e: PageEvent) => boolean, what: string, ms = 10_000): Promise<PageEvent> {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`timed out after ${ms} ms waiting for the page: ${what}`));
      }, ms);
      const off = this.on((e) => {
        if (!match(e)) return;
        clearTimeout(timer);
        off();
        resolve(e);
      });
    });
  }

  /** The first `event` on channel `ch`. */
  channelEvent(ch: number, event: string, ms?: number): Promise<PageEvent> {
    return this.waitFor((e) => e.ch === ch && e.event === event, `${event} on channel ${ch}`, ms);
  }

  /** The first `count` messages on channel `ch`. */
  async messages(ch: number, count: number, ms = 10_000): Promise<MessageSummary[]> {
    const got = () => this.events.filter((e) => e.ch === ch && e.event === 'message');
    if (got().length < count) {
      await this.waitFor(
        () => got().length >= count,
        `${count} messages on channel ${ch} (have ${got().length})`,
        ms,
      );
    }
    return got()
      .slice(0, count)
      .map(({ binary, size, hash, text }) => {
        const s = { binary, size, hash } as MessageSummary;
        if (text !== undefined) s.text = text as string;
        return s;
      });
  }

  close(): Promise<void> {
    return this.session.close();
  }
}

/** The bytes of pattern() in browser-peer.js: xorshift32 from `seed`, low byte each step. */
export function pattern(size: number, seed: number): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

/** The ASCII string sendText() in browser-peer.js makes. */
export function patternText(size: number, seed: number): string {
  const bytes = pattern(size, seed);
  let s = '';
  for (let i = 0; i < size; i++) s += String.fromCharCode(0x20 + (bytes[i]! % 95));
  return s;
}

/** FNV-1a 32, as fnv1a() in browser-peer.js. */
function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193) >>> 0;
  return h;
}

/** What the page reports for `data`, to compare with its summaries. */
export function summaryOf(data: string | Uint8Array): MessageSummary {
  if (typeof data === 'string') {
    const bytes = Buffer.from(data);
    const s: MessageSummary = { binary: false, size: bytes.length, hash: fnv1a(bytes) };
    if (data.length <= 256) s.text = data;
    return s;
  }
  return { binary: true, size: data.length, hash: fnv1a(data) };
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export type Side = 'node' | 'chromium';

export interface LinkOptions {
  /** Trickle candidates (default), or send each description after gathering completes. */
  trickle?: boolean;
  node?: RTCConfiguration;
  page?: Record<string, unknown>;
}

/** The ICE usernames fragments a description carries. */
function ufragsOf(sdp: string): string[] {
  return [...sdp.matchAll(/^a=ice-ufrag:(\S+)/gm)].map((m) => m[1]!);
}

/**
 * Holds candidates until the receiving side has a remote description with their ICE
 * generation (a browser rejects a candidate for a generation it does not know).
 */
class RemoteGate {
  readonly #ufrags = new Set<string>();
  readonly #waiters: (() => void)[] = [];

  applied(sdp: string): void {
    for (const u of ufragsOf(sdp)) this.#ufrags.add(u);
    for (const w of this.#waiters.splice(0)) w();
  }

  async ready(ufrag: string | null | undefined): Promise<void> {
    while (ufrag ? !this.#ufrags.has(ufrag) : this.#ufrags.size === 0) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }
}

/** One of our connections and one of the page's, with signaling between them. */
export class Link {
  readonly node: RTCPeerConnection;
  readonly page: number;
  /** Our connection's state events, as "type:state". */
  readonly nodeLog: string[] = [];
  /** Failures of signaling (a rejected addIceCandidate, say); a test expects none. */
  readonly errors: string[] = [];
  readonly trickle: boolean;
  /** Candidates passed on by trickling (end-of-candidates included). */
  readonly trickled = { toPage: 0, toNode: 0 };
  readonly #peer: ChromiumPeer;
  readonly #toPage = new RemoteGate();
  readonly #toNode = new RemoteGate();
  readonly #off: () => void;

  private constructor(peer: ChromiumPeer, node: RTCPeerConnection, page: number, trickle: boolean) {
    this.#peer = peer;
    this.node = node;
    this.page = page;
    this.trickle = trickle;
    const log = (type: string, read: () => string) =>
      node.addEventListener(type, () => this.nodeLog.push(`${type}:${read()}`));
    log('signalingstatechange', () => node.signalingState);
    log('iceconnectionstatechange', () => node.iceConnectionState);
    log('connectionstatechange', () => node.connectionState);
    log('icegatheringstatechange', () => node.iceGatheringState);
    node.addEventListener('icecandidate', (e) => {
      if (!trickle) return;
      const c = (e as RTCPeerConnectionIceEvent).candidate?.toJSON() ?? null;
      this.trickled.toPage++;
      this.#toPage
        .ready(c?.usernameFragment)
        .then(() => peer.call('addCandidate', page, c))
        .catch((err) => this.#failed('page addIceCandidate', err));
    });
    this.#off = peer.on((e) => {
      if (e.pc !== page || e.event !== 'icecandidate') return;
      const c = e.candidate as { usernameFragment?: string } | null;
      this.trickled.toNode++;
      this.#toNode
        .ready(c?.usernameFragment)
        .then(() => node.addIceCandidate(c as never))
        .catch((err) => this.#failed('node addIceCandidate', err));
    });
  }

  #failed(what: string, err: unknown): void {
    if (this.node.signalingState === 'closed') return;
    this.errors.push(`${what}: ${(err as Error).message ?? err}`);
  }

  /** Our connection and a page connection, both closed when the test ends. */
  static async create(t: TestContext, peer: ChromiumPeer, options: LinkOptions = {}) {
    const node = new RTCPeerConnection(options.node);
    const page = await peer.call<number>('newPc', options.page ?? {}, options.trickle ?? true);
    const link = new Link(peer, node, page, options.trickle ?? true);
    t.after(() => link.close());
    return link;
  }

  /** One offer/answer exchange started by `offerer`. */
  async negotiate(offerer: Side): Promise<void> {
    if (offerer === 'node') {
      const offer = await this.#nodeLocal();
      await this.#peer.call('setRemote', this.page, offer);
      this.#toPage.applied(offer.sdp);
      const answer = await this.#peer.call<{ type: 'answer'; sdp: string }>(
        'setLocal',
        this.page,
        !this.trickle,
      );
      await this.node.setRemoteDescription(answer);
      this.#toNode.applied(answer.sdp);
    } else {
      const offer = await this.#peer.call<{ type: 'offer'; sdp: string }>(
        'setLocal',
        this.page,
        !this.trickle,
      );
      await this.node.setRemoteDescription(offer);
      this.#toNode.applied(offer.sdp);
      const answer = await this.#nodeLocal();
      await this.#peer.call('setRemote', this.page, answer);
      this.#toPage.applied(answer.sdp);
    }
  }

  async #nodeLocal(): Promise<{ type: string; sdp: string }> {
    await this.node.setLocalDescription();
    if (!this.trickle) {
      while (this.node.iceGatheringState !== 'complete') {
        await new Promise((r) =>
          this.node.addEventListener('icegatheringstatechange', r, { once: true }),
        );
      }
    }
    return this.node.localDescription!.toJSON();
  }

  /** The page connection's state events, as "type:state". */
  pageLog(): string[] {
    return this.#peer.events
      .filter((e) => e.pc === this.page && typeof e.state === 'string')
      .map((e) => `${e.event}:${e.state}`);
  }

  close(): void {
    this.#off();
    this.node.close();
    this.#peer.call('closePc', this.page).catch(() => {});
  }
}

/** Resolves when `target` fires `type` (once), or rejects after `ms`. */
export function once<T extends Event = Event>(
  target: EventTarget,
  type: string,
  ms = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      target.removeEventListener(type, handler);
      reject(new Error(`timed out after ${ms} ms waiting for '${type}'`));
    }, ms);
    const handler = (e: Event) => {
      clearTimeout(timer);
      resolve(e as T);
    };
    target.addEventListener(type, handler, { once: true });
  });
}

/** Collects the data of the next `count` 'message' events of `channel`. */
export function received<T = unknown>(channel: EventTarget, count: number, ms = 10_000) {
  const got: T[] = [];
  return new Promise<T[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      channel.removeEventListener('message', handler);
      reject(new Error(`timed out after ${ms} ms with ${got.length} of ${count} messages`));
    }, ms);
    const handler = (e: Event) => {
      got.push((e as MessageEvent).data as T);
      if (got.length < count) return;
      clearTimeout(timer);
      channel.removeEventListener('message', handler);
      resolve(got);
    };
    channel.addEventListener('message', handler);
  });
}

export interface ChannelPairOptions extends LinkOptions {
  /** Who makes the offer; that side creates the channel before negotiating. */
  offerer?: Side;
  label?: string;
  init?: Record<string, unknown>;
}

/** A connection with one open channel: ours and the page's end of it. */
export interface ChannelPair {
  link: Link;
  channel: RTCDataChannel;
  /** The page's end of the channel. */
  ch: number;
  /** The page's view of the channel when it was announced or created. */
  info: PageChannelInfo;
}

/** Connects a new link and opens one channel, created by the offerer. */
export async function openChannelPair(
  t: TestContext,
  peer: ChromiumPeer,
  options: ChannelPairOptions = {},
): Promise<ChannelPair> {
  const link = await Link.create(t, peer, options);
  const offerer = options.offerer ?? 'node';
  const label = options.label ?? 'chat';
  let channel: RTCDataChannel;
  let ch: number;
  let info: PageChannelInfo;
  if (offerer === 'node') {
    channel = link.node.createDataChannel(label, options.init);
    const opened = once(channel, 'open');
    const announced = peer.waitFor(
      (e) => e.pc === link.page && e.event === 'datachannel',
      'the datachannel event',
    );
    await link.negotiate('node');
    await opened;
    const e = await announced;
    ch = e.ch as number;
    info = e.channel as PageChannelInfo;
  } else {
    const made = await peer.call<{ ch: number; channel: PageChannelInfo }>(
      'createChannel',
      link.page,
      label,
      options.init ?? {},
    );
    ch = made.ch;
    info = made.channel;
    // The channel is "open" at its datachannel event; its open event fires in a later task.
    const opened = new Promise<RTCDataChannel>((resolve) => {
      link.node.addEventListener(
        'datachannel',
        (e) => {
          const { channel } = e as RTCDataChannelEvent;
          channel.addEventListener('open', () => resolve(channel), { once: true });
        },
        { once: true },
      );
    });
    await link.negotiate('chromium');
    channel = await opened;
  }
  await peer.channelEvent(ch, 'open');
  return { link, channel, ch, info };
}

/** A stats report as a list of plain records, ours or Chromium's, to compare field by field. */
export type StatsList = Record<string, unknown>[];

/** Our connection's getStats() as a StatsList. */
export async function statsOf(pc: RTCPeerConnection): Promise<StatsList> {
  return [...(await pc.getStats()).values()] as unknown as StatsList;
}
