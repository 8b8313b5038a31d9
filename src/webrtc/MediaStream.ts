/**
 * MediaStream and MediaStreamTrackEvent (W3C mediacapture-main), enough for
 * RTCPeerConnection: msid association of tracks with streams on both sides.
 */
import type { EventInit } from './event-handler.js';
import { defineEventHandlers } from './event-handler.js';
import type { EventHandler } from './idl.js';
import { MediaStreamTrack } from './MediaStreamTrack.js';
import {
  requireArguments,
  toDictionary,
  toDOMString,
  toEventInit,
  toInterface,
  toRequiredInterface,
  toSequence,
} from './webidl.js';

export interface MediaStreamTrackEventInit extends EventInit {
  track: MediaStreamTrack;
}

export class MediaStreamTrackEvent extends Event {
  readonly #track: MediaStreamTrack;

  constructor(type: string, eventInitDict: MediaStreamTrackEventInit) {
    requireArguments(arguments.length, 2, "Failed to construct 'MediaStreamTrackEvent'");
    const d = toDictionary(eventInitDict, 'MediaStreamTrackEventInit');
    const init = toEventInit(d);
    const track = toRequiredInterface(d.track, MediaStreamTrack, 'track');
    super(type, init);
    this.#track = track;
  }

  get track(): MediaStreamTrack {
    return this.#track;
  }
}

let trackSetOf: (stream: MediaStream) => Set<MediaStreamTrack>;
let setStreamId: (stream: MediaStream, id: string) => void;

export class MediaStream extends EventTarget {
  // Event handler IDL attributes, defined by defineEventHandlers below.
  declare onaddtrack: EventHandler;
  declare onremovetrack: EventHandler;

  #id: string;
  readonly #tracks = new Set<MediaStreamTrack>();

  static {
    trackSetOf = (stream) => stream.#tracks;
    setStreamId = (stream, id) => {
      stream.#id = id;
    };
  }

  /** `new MediaStream()`, `new MediaStream(stream)` or `new MediaStream(tracks)`. */
  constructor(streamOrTracks?: MediaStream | readonly MediaStreamTrack[]) {
    super();
    this.#id = crypto.randomUUID();
    if (streamOrTracks === undefined) return;
    // (MediaStream or sequence<MediaStreamTrack>)
    const tracks =
      streamOrTracks instanceof MediaStream
        ? streamOrTracks.getTracks()
        : toSequence(streamOrTracks, 'tracks').map((t) =>
            toInterface(t, MediaStreamTrack, 'a track'),
          );
    for (const track of tracks) this.#tracks.add(track);
  }

  get id(): string {
    return this.#id;
  }

  get active(): boolean {
    for (const track of this.#tracks) if (track.readyState === 'live') return true;
    return false;
  }

  getTracks(): MediaStreamTrack[] {
    return [...this.#tracks];
  }
  getAudioTracks(): MediaStreamTrack[] {
    return this.getTracks().filter((t) => t.kind === 'audio');
  }
  getVideoTracks(): MediaStreamTrack[] {
    return this.getTracks().filter((t) => t.kind === 'video');
  }
  getTrackById(trackId: string): MediaStreamTrack | null {
    const id = toDOMString(trackId);
    for (const track of this.#tracks) if (track.id === id) return track;
    return null;
  }

  /** Adds a track; the application's own change fires no event. */
  addTrack(track: MediaStreamTrack): void {
    this.#tracks.add(toInterface(track, MediaStreamTrack, "addTrack's track"));
  }

  removeTrack(track: MediaStreamTrack): void {
    this.#tracks.delete(toInterface(track, MediaStreamTrack, "removeTrack's track"));
  }

  clone(): MediaStream {
    return new MediaStream(this.getTracks().map((t) => t.clone()));
  }

  get [Symbol.toStringTag](): string {
    return 'MediaStream';
  }
}

defineEventHandlers(MediaStream, ['addtrack', 'removetrack']);

/** A remote stream with the id from the remote description's msid. */
export function createRemoteStream(id: string): MediaStream {
  const stream = new MediaStream();
  setStreamId(stream, id);
  return stream;
}

/** GETUSERMEDIA "add a track" by the user agent: fires `addtrack`. */
export function addRemoteTrack(stream: MediaStream, track: MediaStreamTrack): void {
  const tracks = trackSetOf(stream);
  if (tracks.has(track)) return;
  tracks.add(track);
  stream.dispatchEvent(new MediaStreamTrackEvent('addtrack', { track }));
}

/** GETUSERMEDIA "remove a track" by the user agent: fires `removetrack`. */
export function removeRemoteTrack(stream: MediaStream, track: MediaStreamTrack): void {
  const tracks = trackSetOf(stream);
  if (!tracks.delete(track)) return;
  stream.dispatchEvent(new MediaStreamTrackEvent('removetrack', { track }));
}
