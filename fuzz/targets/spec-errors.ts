/** Telling the exceptions webrtc-pc and WebIDL name from the ones a bug throws. */

/** Messages of the TypeErrors and RangeErrors the JavaScript engine throws on a bug. */
const ENGINE_ERROR =
  /Cannot read prop|Cannot set prop|is not a function|is not iterable|is not defined|Cannot destructure|Invalid array length|Maximum call stack|of undefined|of null|BigInt/;

/** Whether `e` is an exception the spec lets a W3C method or constructor throw or reject with. */
export function specError(e: unknown): boolean {
  if (e instanceof DOMException) return true; // RTCError is one too
  return e instanceof TypeError && !ENGINE_ERROR.test(e.message);
}
