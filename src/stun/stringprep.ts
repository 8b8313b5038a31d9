/**
 * The string preparation STUN applies to passwords and realms: the OpaqueString profile
 * of PRECIS (RFC 8265 §4.2), which RFC 8489 uses, and SASLprep (RFC 4013), which RFC 5389
 * used and the RFC 5769 test vectors are computed with. Both throw TypeError for strings
 * they prohibit: they prepare configured credentials, never network input.
 */

/** Code point ranges as [first, last, first, last, ...]. */
type Ranges = readonly number[];

// RFC 3454 B.1: commonly mapped to nothing.
const MAPPED_TO_NOTHING: Ranges = [
  0xad, 0xad, 0x34f, 0x34f, 0x1806, 0x1806, 0x180b, 0x180d, 0x200b, 0x200d, 0x2060, 0x2060, 0xfe00,
  0xfe0f, 0xfeff, 0xfeff,
];
// RFC 3454 C.1.2: non-ASCII space characters, mapped to SPACE.
const NON_ASCII_SPACE: Ranges = [
  0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x202f, 0x202f, 0x205f, 0x205f, 0x3000, 0x3000,
];
// RFC 3454 C.2.1 to C.9, which RFC 4013 §2.3 prohibits (planes 15-16 are all private use or
// non-characters).
const PROHIBITED: Ranges = [
  0x0, 0x1f, 0x7f, 0x9f, 0x340, 0x341, 0x6dd, 0x6dd, 0x70f, 0x70f, 0x180e, 0x180e, 0x200c, 0x200f,
  0x2028, 0x202e, 0x2060, 0x2063, 0x206a, 0x206f, 0x2ff0, 0x2ffb, 0xd800, 0xf8ff, 0xfdd0, 0xfdef,
  0xfeff, 0xfeff, 0xfff9, 0xffff, 0x1d173, 0x1d17a, 0xe0001, 0xe0001, 0xe0020, 0xe007f, 0xf0000,
  0x10ffff,
];
// RFC 3454 D.1: characters with bidirectional property R or AL.
const RAND_AL: Ranges = [
  0x5be, 0x5be, 0x5c0, 0x5c0, 0x5c3, 0x5c3, 0x5d0, 0x5ea, 0x5f0, 0x5f4, 0x61b, 0x61b, 0x61f, 0x61f,
  0x621, 0x63a, 0x640, 0x64a, 0x66d, 0x66f, 0x671, 0x6d5, 0x6dd, 0x6dd, 0x6e5, 0x6e6, 0x6fa, 0x6fe,
  0x700, 0x70d, 0x710, 0x710, 0x712, 0x72c, 0x780, 0x7a5, 0x7b1, 0x7b1, 0x200f, 0x200f, 0xfb1d,
  0xfb1d, 0xfb1f, 0xfb28, 0xfb2a, 0xfb36, 0xfb38, 0xfb3c, 0xfb3e, 0xfb3e, 0xfb40, 0xfb41, 0xfb43,
  0xfb44, 0xfb46, 0xfbb1, 0xfbd3, 0xfd3d, 0xfd50, 0xfd8f, 0xfd92, 0xfdc7, 0xfdf0, 0xfdfc, 0xfe70,
  0xfe74, 0xfe76, 0xfefc,
];
// RFC 3454 D.2 (property L), approximated by letters and spacing marks that are not R/AL.
const LETTER = /[\p{L}\p{Mc}]/u;

function inRanges(codePoint: number, ranges: Ranges): boolean {
  for (let i = 0; i < ranges.length; i += 2)
    if (codePoint >= ranges[i]! && codePoint <= ranges[i + 1]!) return true;
  return false;
}

function mapCodePoints(input: string, map: (codePoint: number, char: string) => string): string {
  let out = '';
  for (const char of input) out += map(char.codePointAt(0)!, char);
  return out;
}

/** SASLprep (RFC 4013) for a query string: unassigned code points are allowed. */
export function saslprep(input: string): string {
  const mapped = mapCodePoints(input, (cp, char) =>
    inRanges(cp, MAPPED_TO_NOTHING) ? '' : inRanges(cp, NON_ASCII_SPACE) ? ' ' : char,
  ).normalize('NFKC');
  const codePoints = [...mapped].map((char) => char.codePointAt(0)!);
  if (codePoints.some((cp) => inRanges(cp, PROHIBITED)))
    throw new TypeError('SASLprep: prohibited character');
  // RFC 3454 §6: text with R/AL characters has no L characters and starts and ends with R/AL.
  const randAl = (cp: number) => inRanges(cp, RAND_AL);
  if (codePoints.some(randAl)) {
    if (codePoints.some((cp) => !randAl(cp) && LETTER.test(String.fromCodePoint(cp))))
      throw new TypeError('SASLprep: mixed bidirectional text');
    if (!randAl(codePoints[0]!) || !randAl(codePoints[codePoints.length - 1]!))
      throw new TypeError('SASLprep: bidirectional text must start and end with R/AL');
  }
  return mapped;
}

const SPACE_SEPARATOR = /\p{Zs}/gu;
const CONTROL = /\p{Cc}/u;

/** The PRECIS OpaqueString profile (RFC 8265 §4.2) on the FreeformClass (RFC 8264 §4.3). */
export function opaqueString(input: string): string {
  const prepared = input.replace(SPACE_SEPARATOR, ' ').normalize('NFC');
  if (prepared.length === 0) throw new TypeError('OpaqueString: empty string');
  if (CONTROL.test(prepared)) throw new TypeError('OpaqueString: control character');
  return prepared;
}
