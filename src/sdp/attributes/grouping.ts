/** Grouping of media descriptions: group and mid (RFC 5888 §4-5), BUNDLE (RFC 8843). */

import { TOKEN } from '../grammar.js';

export interface Group {
  /** `BUNDLE`, `LS`, `FID`, ... */
  semantics: string;
  mids: string[];
}

/** `group:semantics *(SP identification-tag)`. */
export function parseGroup(value: string | null): Group | undefined {
  if (value === null || value === '') return undefined;
  const [semantics, ...mids] = value.split(' ') as [string, ...string[]];
  if (!TOKEN.test(semantics) || !mids.every((m) => TOKEN.test(m))) return undefined;
  return { semantics, mids };
}

export function formatGroup(g: Group): string {
  return [g.semantics, ...g.mids].join(' ');
}

/** `mid:identification-tag`, a token. */
export function parseMid(value: string | null): string | undefined {
  return value !== null && TOKEN.test(value) ? value : undefined;
}
