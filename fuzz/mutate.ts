/**
 * Structured mutation with a seeded PRNG: the edits that find parser bugs in network
 * formats (bit flips, boundary integers, length fields nudged, bytes inserted, deleted or
 * repeated, two messages spliced) and, for text formats, the same on lines and tokens.
 * Every choice comes from `random`, so a seed replays the same inputs.
 */

export type Random = () => number;

const INTERESTING_8 = [0, 1, 0x7f, 0x80, 0xfe, 0xff];
const INTERESTING_16 = [0, 1, 0x7f, 0x80, 0xff, 0x100, 0x3fff, 0x4000, 0x7fff, 0x8000, 0xffff];
const INTERESTING_32 = [0, 1, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x10000];
const NUMBERS = [
  '0',
  '-1',
  '1',
  '65535',
  '65536',
  '4294967295',
  '4294967296',
  '1e3',
  '99999999999999999999',
  'NaN',
  '0x10',
];

export class Mutator {
  constructor(
    readonly random: Random,
    /** Tokens worth inserting: magic numbers, keywords, attribute names. */
    readonly dictionary: readonly Buffer[] = [],
  ) {}

  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  bytes(n: number): Buffer {
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }

  /** 1 to 8 stacked edits of `input`; `other` is a second input to splice from. */
  mutate(input: Buffer, other: Buffer, maxLength: number): Buffer {
    let out: Buffer = Buffer.from(input);
    const edits = 1 + this.int(this.random() < 0.7 ? 3 : 8);
    for (let e = 0; e < edits; e++) out = this.#edit(out, other);
    return out.length > maxLength ? out.subarray(0, maxLength) : out;
  }

  /** Line and token edits of text, with an occasional byte-level edit of its UTF-8. */
  mutateText(input: Buffer, other: Buffer, maxLength: number): Buffer {
    let text = input.toString('utf8');
    const edits = 1 + this.int(4);
    for (let e = 0; e < edits; e++) {
      if (this.random() < 0.15)
        text = this.#edit(Buffer.from(text, 'utf8'), other).toString('utf8');
      else text = this.#editText(text, other.toString('utf8'));
    }
    const out = Buffer.from(text, 'utf8');
    return out.length > maxLength ? out.subarray(0, maxLength) : out;
  }

  #edit(b: Buffer, other: Buffer): Buffer {
    const n = b.length;
    const at = this.int(n + 1);
    switch (this.int(16)) {
      case 0: // flip a bit
      case 1:
        if (n > 0) b[this.int(n)]! ^= 1 << this.int(8);
        return b;
      case 2: // a random byte
        if (n > 0) b[this.int(n)] = this.int(256);
        return b;
      case 3: // an interesting byte
        if (n > 0) b[this.int(n)] = this.pick(INTERESTING_8);
        return b;
      case 4: // an interesting 16-bit integer
        if (n >= 2) b.writeUInt16BE(this.pick(INTERESTING_16), this.int(n - 1));
        return b;
      case 5: // an interesting 32-bit integer
        if (n >= 4) b.writeUInt32BE(this.pick(INTERESTING_32), this.int(n - 3));
        return b;
      case 6: // small arithmetic on a byte or a 16-bit word
        if (n >= 2) {
          const i = this.int(n - 1);
          b.writeUInt16BE((b.readUInt16BE(i) + this.int(33) - 16) & 0xffff, i);
        }
        return b;
      case 7:
      case 8:
        return this.#lengthField(b);
      case 9: // insert random bytes, or one byte repeated
        return Buffer.concat([
          b.subarray(0, at),
          this.random() < 0.5
            ? this.bytes(1 + this.int(16))
            : Buffer.alloc(1 + this.int(64), this.int(256)),
          b.subarray(at),
        ]);
      case 10: // delete a range
        return Buffer.concat([
          b.subarray(0, at),
          b.subarray(at + 1 + this.int(Math.max(1, n >> 2))),
        ]);
      case 11: {
        // repeat a range
        const from = this.int(n + 1);
        const piece = b.subarray(from, from + 1 + this.int(32));
        return Buffer.concat([b.subarray(0, at), piece, b.subarray(at)]);
      }
      case 12: // truncate
        return b.subarray(0, at);
      case 13: {
        // splice: our head, the other's tail
        const cut = this.int(other.length + 1);
        return Buffer.concat([b.subarray(0, at), other.subarray(cut)]);
      }
      case 14: {
        // insert a piece of the other input
        const from = this.int(other.length + 1);
        return Buffer.concat([
          b.subarray(0, at),
          other.subarray(from, from + 1 + this.int(64)),
          b.subarray(at),
        ]);
      }
      default: {
        if (this.dictionary.length === 0) return b;
        const token = this.pick(this.dictionary);
        if (this.random() < 0.5 || n < token.length)
          return Buffer.concat([b.subarray(0, at), token, b.subarray(at)]);
        token.copy(b, this.int(n - token.length + 1));
        return b;
      }
    }
  }

  /**
   * Finds a field that looks like a length (an 8, 16 or 24-bit big-endian value close to the
   * bytes that follow it) and nudges it: off by one or four, zero, its maximum, or doubled.
   */
  #lengthField(b: Buffer): Buffer {
    for (let tries = 0; tries < 32; tries++) {
      const width = this.pick([1, 2, 2, 3]);
      if (b.length < width) return b;
      const at = this.int(b.length - width + 1);
      const value = b.readUIntBE(at, width);
      const rest = b.length - at - width;
      if (value === 0 || value > rest + 16 || (width === 1 && value > 64)) continue;
      const max = 2 ** (8 * width) - 1;
      const next = this.pick([
        value + 1,
        value - 1,
        value + 4,
        value - 4,
        0,
        max,
        rest,
        rest + 1,
        value * 2,
      ]);
      b.writeUIntBE(Math.min(max, Math.max(0, next)), at, width);
      return b;
    }
    return b;
  }

  #editText(text: string, other: string): string {
    const lines = text.split('\n');
    const i = this.int(lines.length);
    const line = lines[i]!;
    switch (this.int(12)) {
      case 0:
        lines.splice(i, 1);
        break;
      case 1:
        lines.splice(i, 0, line);
        break;
      case 2: {
        const j = this.int(lines.length);
        [lines[i], lines[j]] = [lines[j]!, line];
        break;
      }
      case 3: {
        const theirs = other.split('\n');
        lines.splice(i, 0, theirs[this.int(theirs.length)]!);
        break;
      }
      case 4: // a line many times: size and count limits
        lines.splice(i, 0, ...Array<string>(10 + this.int(500)).fill(line));
        break;
      case 5:
      case 6:
        lines[i] = this.#editToken(line, this.pick(NUMBERS));
        break;
      case 7:
        if (this.dictionary.length > 0)
          lines[i] = this.#editToken(line, this.pick(this.dictionary).toString('utf8'));
        break;
      case 8: // line ends: CRLF, LF, a lone CR, none
        lines[i] = line.endsWith('\r') ? line.slice(0, -1) : `${line}\r`;
        break;
      case 9: // a long token
        lines[i] = this.#editToken(
          line,
          this.pick(['a', '1', ' ', ':', '\0', 'é']).repeat(1 + this.int(2000)),
        );
        break;
      case 10: {
        // a character inserted or removed
        const at = this.int(line.length + 1);
        lines[i] =
          this.random() < 0.5
            ? line.slice(0, at) + line.slice(at + 1)
            : line.slice(0, at) +
              this.pick([' ', ':', '/', '=', '\t', '\r', '-', '.', '0', 'x']) +
              line.slice(at);
        break;
      }
      default: // the line cut short
        lines[i] = line.slice(0, this.int(line.length + 1));
    }
    return lines.join('\n');
  }

  /** Replaces (or adds) one space- or colon-separated token of `line`. */
  #editToken(line: string, token: string): string {
    const parts = line.split(/([ :/=])/);
    const i = this.int(parts.length + 1);
    if (i === parts.length || this.random() < 0.2) parts.splice(i, 0, token);
    else parts[i] = token;
    return parts.join('');
  }
}
