/**
 * Serial number arithmetic (RFC 1982) for TSNs (32 bits, RFC 9260 §1.6) and stream
 * sequence numbers (16 bits). `a < b` holds when b is "after" a, less than half the
 * number space ahead; comparisons across wrap-around work as long as the numbers in
 * play stay within half the space of each other, which the windows guarantee.
 */

/** a < b in 32-bit serial arithmetic. */
export function tsnLt(a: number, b: number): boolean {
  return a !== b && (b - a) >>> 0 < 0x80000000;
}

/** a <= b in 32-bit serial arithmetic. */
export function tsnLte(a: number, b: number): boolean {
  return (b - a) >>> 0 < 0x80000000;
}

/** a + n modulo 2^32. */
export function tsnAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}

/** How far b is ahead of a (b - a modulo 2^32), as an unsigned number. */
export function tsnDiff(b: number, a: number): number {
  return (b - a) >>> 0;
}

/** a < b in 16-bit serial arithmetic. */
export function ssnLt(a: number, b: number): boolean {
  return a !== b && ((b - a) & 0xffff) < 0x8000;
}

/** a <= b in 16-bit serial arithmetic. */
export function ssnLte(a: number, b: number): boolean {
  return ((b - a) & 0xffff) < 0x8000;
}

/** a + 1 modulo 2^16. */
export function ssnNext(a: number): number {
  return (a + 1) & 0xffff;
}
