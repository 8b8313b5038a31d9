/**
 * Cuts a byte stream (TCP, TLS) into the messages it carries, each delimited by a length
 * in its own first bytes: STUN messages and ChannelData to a TURN server (RFC 8656 §12.5,
 * RFC 8489 §6.2.2), or RFC 4571 framing. A read may hold part of a message or several;
 * a message that lies whole inside one read is handed on as a view, a split one is
 * gathered into one buffer of its final size (no repeated concatenation).
 */

/**
 * The whole length of the message whose first `headerLength` bytes are `header`, or -1
 * when those bytes cannot start a message (the stream is then unusable).
 */
export type FrameLength = (header: Buffer) => number;

export class StreamFramer {
  readonly #headerLength: number;
  readonly #frameLength: FrameLength;
  readonly #onFrame: (frame: Buffer) => void;
  /** The message being gathered across reads: its header only until the length is known. */
  #partial: Buffer | undefined;
  #filled = 0;
  #corrupt = false;

  constructor(headerLength: number, frameLength: FrameLength, onFrame: (frame: Buffer) => void) {
    this.#headerLength = headerLength;
    this.#frameLength = frameLength;
    this.#onFrame = onFrame;
  }

  /** Bytes held for a message not yet complete. */
  get buffered(): number {
    return this.#filled;
  }

  /**
   * Takes the next bytes of the stream and hands on every message they complete.
   * Returns false once the stream held something that is not a message: the caller
   * closes the connection (nothing after that can be framed).
   */
  push(chunk: Buffer): boolean {
    if (this.#corrupt) return false;
    let offset = 0;
    while (offset < chunk.length) {
      const partial = this.#partial;
      if (partial !== undefined) {
        const n = Math.min(partial.length - this.#filled, chunk.length - offset);
        chunk.copy(partial, this.#filled, offset, offset + n);
        this.#filled += n;
        offset += n;
        if (this.#filled < partial.length) break;
        if (partial.length === this.#headerLength) {
          // The header is complete: now the message's length is known.
          const length = this.#frameLength(partial);
          if (length < this.#headerLength) return this.#fail();
          if (length > this.#headerLength) {
            const whole = Buffer.allocUnsafe(length);
            partial.copy(whole, 0);
            this.#partial = whole;
            continue;
          }
        }
        this.#partial = undefined;
        this.#filled = 0;
        this.#onFrame(partial);
        continue;
      }
      const remaining = chunk.length - offset;
      if (remaining < this.#headerLength) {
        this.#partial = Buffer.allocUnsafe(this.#headerLength);
        this.#filled = 0;
        continue;
      }
      const length = this.#frameLength(chunk.subarray(offset, offset + this.#headerLength));
      if (length < this.#headerLength) return this.#fail();
      if (remaining >= length) {
        this.#onFrame(chunk.subarray(offset, offset + length));
        offset += length;
        continue;
      }
      this.#partial = Buffer.allocUnsafe(length);
      this.#filled = 0;
    }
    return true;
  }

  #fail(): false {
    this.#corrupt = true;
    this.#partial = undefined;
    this.#filled = 0;
    return false;
  }
}

/**
 * RFC 8656 §12.5: over TCP and TLS, STUN messages (first two bits 00, length at bytes
 * 2-3 not counting the 20-byte header) and ChannelData (first two bits 01, length at
 * bytes 2-3 not counting the 4-byte header, padded to 4 bytes) share the stream.
 */
export function turnFrameLength(header: Buffer): number {
  const kind = header[0]! >> 6;
  const length = header.readUInt16BE(2);
  if (kind === 0) return length % 4 === 0 ? 20 + length : -1;
  if (kind === 1) return 4 + ((length + 3) & ~3);
  return -1;
}

/** The header bytes turnFrameLength needs. */
export const TURN_FRAME_HEADER_LENGTH = 4;
