/** Deterministic input generators for fuzzing the text parsers. */

/** A small fast PRNG (mulberry32): the same seed gives the same inputs on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEF0123456789 :=/.-+;,~*\r\n\t\0{}"\'\\é😀';

/** A random string of up to 200 characters drawn mostly from SDP's own characters. */
export function random(next: () => number): string {
  const length = Math.floor(next() * 200);
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[Math.floor(next() * alphabet.length)];
  return s;
}

/** `text` with a few characters replaced, inserted, deleted or duplicated; `seed` picks how. */
export function mutate(text: string, seed: number): string {
  const r = prng(seed);
  const pick = (n: number) => Math.floor(r() * n);
  let s = text;
  const edits = 1 + pick(4);
  for (let e = 0; e < edits; e++) {
    const at = pick(s.length + 1);
    switch (pick(6)) {
      case 0:
        s = s.slice(0, at) + alphabet[pick(alphabet.length)] + s.slice(at + 1);
        break;
      case 1:
        s = s.slice(0, at) + alphabet[pick(alphabet.length)] + s.slice(at);
        break;
      case 2:
        s = s.slice(0, at) + s.slice(at + 1 + pick(8));
        break;
      case 3: {
        const len = pick(40);
        s = s.slice(0, at) + s.slice(at, at + len) + s.slice(at);
        break;
      }
      case 4:
        s = s.slice(0, at) + String(pick(1e10)) + s.slice(at);
        break;
      default:
        s = `${s.slice(0, at)} ${s.slice(at)}`;
    }
  }
  return s;
}
