/**
 * RTCDTMFSender and RTCDTMFToneChangeEvent (W3C webrtc-pc "Peer-to-peer DTMF"): the
 * tone buffer, insertDTMF() and the DTMF playout task steps, with their timing and
 * tonechange events. The tones go out as RFC 4733 telephone-event packets once the RTP
 * sender carries media; until then playout keeps the timing and the events only.
 */
import { defineEventHandlers, type EventInit } from './event-handler.js';
import type { EventHandler } from './idl.js';
import { queueTask } from './task-queue.js';
import {
  requireArguments,
  toDictionary,
  toDOMString,
  toEventInit,
  toOptional,
  toUnsignedLong,
} from './webidl.js';

/** What "determine if DTMF can be sent" reads of the sender, its transceiver and connection. */
export interface DtmfHost {
  canSend(): boolean;
}

/** The characters insertDTMF() recognizes, after a to d are made uppercase. */
const TONES = /^[0-9A-D#*,]*$/;
/** The pause a ',' makes, ms. */
const COMMA_DELAY = 2000;

let stopPlayout: (dtmf: RTCDTMFSender) => void;
const token = Symbol('RTCDTMFSender');

export class RTCDTMFSender extends EventTarget {
  declare ontonechange: EventHandler;

  readonly #host: DtmfHost;
  #toneBuffer = '';
  #duration = 100;
  #interToneGap = 70;
  /** A playout task is scheduled (queued or waiting for its time). */
  #scheduled = false;
  #timer: NodeJS.Timeout | undefined;

  static {
    stopPlayout = (dtmf) => dtmf.#stop();
  }

  /** Not constructible by applications ("create an RTCDTMFSender"). */
  constructor(key: symbol, host: DtmfHost) {
    if (key !== token) throw new TypeError('Illegal constructor');
    super();
    this.#host = host;
  }

  get canInsertDTMF(): boolean {
    return this.#host.canSend();
  }

  get toneBuffer(): string {
    return this.#toneBuffer;
  }

  insertDTMF(tones: string, duration = 100, interToneGap = 70): void {
    requireArguments(arguments.length, 1, "Failed to execute 'insertDTMF' on 'RTCDTMFSender'");
    const text = toDOMString(tones).toUpperCase();
    const ms = toUnsignedLong(duration);
    const gap = toUnsignedLong(interToneGap);
    if (!this.#host.canSend())
      throw new DOMException('DTMF cannot be sent on this sender now', 'InvalidStateError');
    if (!TONES.test(text))
      throw new DOMException('The tones hold an unrecognized character', 'InvalidCharacterError');
    this.#toneBuffer = text;
    this.#duration = Math.min(Math.max(ms, 40), 6000);
    this.#interToneGap = Math.min(Math.max(gap, 30), 6000);
    if (text === '' || this.#scheduled) return;
    this.#scheduled = true;
    queueTask(this.#playout);
  }

  /** The DTMF playout task steps. */
  readonly #playout = (): void => {
    this.#scheduled = false;
    this.#timer = undefined;
    if (!this.#host.canSend()) return;
    if (this.#toneBuffer === '') {
      this.dispatchEvent(new RTCDTMFToneChangeEvent('tonechange', { tone: '' }));
      return;
    }
    const tone = this.#toneBuffer[0]!;
    this.#toneBuffer = this.#toneBuffer.slice(1);
    const next = tone === ',' ? COMMA_DELAY : this.#duration + this.#interToneGap;
    this.#scheduled = true;
    this.#playoutAfter(next);
    this.dispatchEvent(new RTCDTMFToneChangeEvent('tonechange', { tone }));
  };

  /**
   * The next playout task, `ms` from now. Node measures a timer from the event loop's
   * clock, read when the loop last woke up: after a busy turn it fires early, and a tone
   * would be cut short. The timer is re-armed for whatever is left.
   */
  #playoutAfter(ms: number): void {
    const due = performance.now() + ms;
    const fire = (): void => {
      const left = due - performance.now();
      if (left > 0) this.#timer = setTimeout(fire, Math.ceil(left));
      else queueTask(this.#playout);
    };
    this.#timer = setTimeout(fire, ms);
  }

  #stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#scheduled = false;
    this.#toneBuffer = '';
  }

  get [Symbol.toStringTag](): string {
    return 'RTCDTMFSender';
  }
}

defineEventHandlers(RTCDTMFSender, ['tonechange']);

export interface RTCDTMFToneChangeEventInit extends EventInit {
  tone?: string;
}

export class RTCDTMFToneChangeEvent extends Event {
  readonly #tone: string;

  constructor(type: string, eventInitDict: RTCDTMFToneChangeEventInit = {}) {
    requireArguments(arguments.length, 1, "Failed to construct 'RTCDTMFToneChangeEvent'");
    const d = toDictionary(eventInitDict, 'RTCDTMFToneChangeEventInit');
    const init = toEventInit(d);
    const tone = toOptional(d.tone, '', toDOMString);
    super(type, init);
    this.#tone = tone;
  }

  get tone(): string {
    return this.#tone;
  }
}

/** "Create an RTCDTMFSender" for an audio sender. */
export function createDtmfSender(host: DtmfHost): RTCDTMFSender {
  return new RTCDTMFSender(token, host);
}

/** Ends a sender's DTMF playout (its transceiver stopped): no timer is left waiting. */
export function stopDtmf(dtmf: RTCDTMFSender): void {
  stopPlayout(dtmf);
}
