/**
 * The WebRTC stacks the benchmarks compare, loaded by name, each seen through the part of
 * the W3C API the workloads use. The small differences between them (werift hands
 * messages over as Buffers and ends gathering with an undefined candidate, close() may
 * return a promise) are smoothed here, not in the workloads.
 */
import { readFileSync } from 'node:fs';

export const STACKS = ['purertc', 'werift', 'node-datachannel', 'wrtc'] as const;
export type StackName = (typeof STACKS)[number];

/** The npm package behind each name, for its version. */
const packages: Record<StackName, string> = {
  purertc: '.',
  werift: 'node_modules/werift',
  'node-datachannel': 'node_modules/node-datachannel',
  wrtc: 'node_modules/@roamhq/wrtc',
};

/** What the workloads read of an event. */
export interface StackEvent {
  data?: unknown;
  channel?: Channel;
  candidate?: unknown;
}
type Listener = (event: StackEvent) => void;

export interface Channel {
  readonly readyState: string;
  readonly bufferedAmount: number;
  bufferedAmountLowThreshold: number;
  binaryType?: string;
  send(data: Uint8Array | string): void;
  close(): void;
  addEventListener(type: string, listener: Listener): void;
}

export interface SessionDescription {
  type: string;
  sdp: string;
}

export interface PeerConnection {
  readonly connectionState: string;
  localDescription: SessionDescription | null;
  createDataChannel(label: string, init?: Record<string, unknown>): Channel;
  createOffer(): Promise<SessionDescription>;
  createAnswer(): Promise<SessionDescription>;
  setLocalDescription(description: SessionDescription): Promise<void>;
  setRemoteDescription(description: SessionDescription): Promise<void>;
  addIceCandidate(candidate: unknown): Promise<void>;
  addEventListener(type: string, listener: Listener): void;
  close(): unknown;
}

export interface Stack {
  name: StackName;
  version: string;
  create(): PeerConnection;
  /** Releases what the stack keeps after its connections closed (native threads). */
  shutdown(): Promise<void>;
}

const root = new URL('../../', import.meta.url);

function versionOf(name: StackName): string {
  const json = JSON.parse(readFileSync(new URL(`${packages[name]}/package.json`, root), 'utf8'));
  return json.version as string;
}

type Constructor = new () => PeerConnection;

async function constructorOf(name: StackName): Promise<Constructor> {
  switch (name) {
    case 'purertc':
      return (await import('../../src/webrtc/RTCPeerConnection.js'))
        .RTCPeerConnection as unknown as Constructor;
    case 'werift':
      return (await import('werift')).RTCPeerConnection as unknown as Constructor;
    case 'node-datachannel':
      return (await import('node-datachannel/polyfill'))
        .RTCPeerConnection as unknown as Constructor;
    case 'wrtc': {
      const wrtc = (await import('@roamhq/wrtc')).default as { RTCPeerConnection: unknown };
      return wrtc.RTCPeerConnection as Constructor;
    }
  }
}

/** Loads a stack; rejects with the reason when its package does not install or load. */
export async function loadStack(name: StackName): Promise<Stack> {
  const Pc = await constructorOf(name);
  return {
    name,
    version: versionOf(name),
    create: () => new Pc(),
    shutdown: async () => {
      if (name === 'node-datachannel') (await import('node-datachannel')).cleanup();
    },
  };
}

/** A message's bytes as a Buffer view, whatever form the stack delivered them in. */
export function bytesOf(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.length);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (typeof data === 'string') return Buffer.from(data);
  throw new TypeError(`unexpected message data ${Object.prototype.toString.call(data)}`);
}

/** A gathered candidate as signaling carries it, or undefined for the end of candidates. */
export function candidateInit(candidate: unknown): Record<string, unknown> | undefined {
  if (candidate === null || candidate === undefined) return undefined;
  const c = candidate as { toJSON?: () => Record<string, unknown>; candidate?: string };
  const init = typeof c.toJSON === 'function' ? c.toJSON() : (c as Record<string, unknown>);
  return init.candidate ? { ...init } : undefined;
}

/** close() of any stack, waiting when it returns a promise. */
export async function closePeer(pc: PeerConnection): Promise<void> {
  await pc.close();
}
