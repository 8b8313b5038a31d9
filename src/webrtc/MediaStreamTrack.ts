/**
 * MediaStreamTrack (W3C mediacapture-main), as much of it as RTCPeerConnection needs:
 * a track with no capture source. Remote tracks are made by RTCRtpReceiver; an
 * application makes a local one with `new MediaStreamTrack({ kind })` (an extension:
 * browsers only make tracks from sources) to hand to addTrack/addTransceiver.
 */
import { defineEventHandlers } from './event-handler.js';
import type { EventHandler } from './idl.js';
import { queueTaskWith } from './task-queue.js';
import { toDOMString, toOptional } from './webidl.js';

export type MediaStreamTrackState = 'live' | 'ended';

export interface MediaStreamTrackInit {
  kind: 'audio' | 'video';
  id?: string;
  label?: string;
}

interface TrackState {
  kind: 'audio' | 'video';
  id: string;
  label: string;
  enabled: boolean;
  muted: boolean;
  readyState: MediaStreamTrackState;
  contentHint: string;
}

let stateOf: (track: MediaStreamTrack) => TrackState;

export class MediaStreamTrack extends EventTarget {
  // Event handler IDL attributes, defined by defineEventHandlers below.
  declare onmute: EventHandler;
  declare onunmute: EventHandler;
  declare onended: EventHandler;

  readonly #s: TrackState;

  static {
    stateOf = (track) => track.#s;
  }

  constructor(init: MediaStreamTrackInit) {
    super();
    const kind = init?.kind;
    if (kind !== 'audio' && kind !== 'video') {
      throw new TypeError(
        "Failed to construct 'MediaStreamTrack': kind must be 'audio' or 'video'",
      );
    }
    this.#s = {
      kind,
      id: toOptional(init.id, crypto.randomUUID(), toDOMString),
      label: toOptional(init.label, '', toDOMString),
      enabled: true,
      muted: false,
      readyState: 'live',
      contentHint: '',
    };
  }

  get kind(): string {
    return this.#s.kind;
  }
  get id(): string {
    return this.#s.id;
  }
  get label(): string {
    return this.#s.label;
  }
  get enabled(): boolean {
    return this.#s.enabled;
  }
  set enabled(value: boolean) {
    this.#s.enabled = Boolean(value);
  }
  get muted(): boolean {
    return this.#s.muted;
  }
  get readyState(): MediaStreamTrackState {
    return this.#s.readyState;
  }
  get contentHint(): string {
    return this.#s.contentHint;
  }
  set contentHint(value: string) {
    this.#s.contentHint = toDOMString(value);
  }

  /** A new track with the same kind, label, state and enabled flag, and a new id. */
  clone(): MediaStreamTrack {
    const copy = new MediaStreamTrack({ kind: this.#s.kind, label: this.#s.label });
    Object.assign(copy.#s, { ...this.#s, id: copy.#s.id });
    return copy;
  }

  /** Ends the track; it fires no `ended` event (that is for ends the application did not ask for). */
  stop(): void {
    this.#s.readyState = 'ended';
  }

  getCapabilities(): Record<string, unknown> {
    return {};
  }
  getConstraints(): Record<string, unknown> {
    return {};
  }
  getSettings(): Record<string, unknown> {
    return {};
  }
  applyConstraints(_constraints?: Record<string, unknown>): Promise<void> {
    return Promise.resolve();
  }

  get [Symbol.toStringTag](): string {
    return 'MediaStreamTrack';
  }
}

defineEventHandlers(MediaStreamTrack, ['mute', 'unmute', 'ended']);

/** A receiver's track (webrtc-pc "create an RTCRtpReceiver"): label "remote <kind>", muted. */
export function createRemoteTrack(kind: 'audio' | 'video'): MediaStreamTrack {
  const track = new MediaStreamTrack({ kind, label: `remote ${kind}` });
  stateOf(track).muted = true;
  return track;
}

/** GETUSERMEDIA "set a track's muted state": fires mute/unmute only on a change. */
export function setTrackMuted(track: MediaStreamTrack, muted: boolean): void {
  const s = stateOf(track);
  if (s.readyState === 'ended' || s.muted === muted) return;
  s.muted = muted;
  track.dispatchEvent(new Event(muted ? 'mute' : 'unmute'));
}

/** The user agent ends a track (a stopped transceiver's receiver): `ended` fires in a task. */
export function endTrack(track: MediaStreamTrack): void {
  const s = stateOf(track);
  if (s.readyState === 'ended') return;
  s.readyState = 'ended';
  queueTaskWith(fireEnded, track);
}

function fireEnded(track: MediaStreamTrack): void {
  track.dispatchEvent(new Event('ended'));
}
