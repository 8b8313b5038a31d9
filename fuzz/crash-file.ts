/**
 * A finding on disk: the session's inputs in a small binary file that replays it, and a
 * text file beside it that says what happened.
 *
 *   "PRFZ" | u8 version (1) | u16 name length | name | u32 session seed | u32 count | (u32 length | bytes)*
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FindingReport } from './engine.js';

const MAGIC = 'PRFZ';

export interface CrashFile {
  target: string;
  sessionSeed: number;
  inputs: Buffer[];
}

export function encodeCrashFile(c: CrashFile): Buffer {
  const name = Buffer.from(c.target, 'utf8');
  const parts = [
    Buffer.from(MAGIC, 'latin1'),
    Buffer.of(1),
    u16(name.length),
    name,
    u32(c.sessionSeed),
    u32(c.inputs.length),
  ];
  for (const input of c.inputs) parts.push(u32(input.length), input);
  return Buffer.concat(parts);
}

export function decodeCrashFile(b: Buffer): CrashFile {
  if (b.toString('latin1', 0, 4) !== MAGIC || b[4] !== 1)
    throw new Error('not a purertc fuzz crash file');
  const nameLength = b.readUInt16BE(5);
  const target = b.toString('utf8', 7, 7 + nameLength);
  let at = 7 + nameLength;
  const sessionSeed = b.readUInt32BE(at);
  const count = b.readUInt32BE(at + 4);
  at += 8;
  const inputs: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const length = b.readUInt32BE(at);
    inputs.push(b.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return { target, sessionSeed, inputs };
}

/** Writes `<dir>/<target>-<kind>-<hash>.bin` and `.txt`; returns the .bin path. */
export function saveFinding(dir: string, f: FindingReport): string {
  mkdirSync(dir, { recursive: true });
  const bin = encodeCrashFile({ target: f.target, sessionSeed: f.sessionSeed, inputs: f.inputs });
  const base = join(
    dir,
    `${f.target}-${f.kind}-${createHash('sha1').update(bin).digest('hex').slice(0, 12)}`,
  );
  writeFileSync(`${base}.bin`, bin);
  const last = f.inputs.at(-1);
  writeFileSync(
    `${base}.txt`,
    [
      `target: ${f.target}`,
      `kind: ${f.kind}`,
      `run seed: ${f.seed}, session ${f.session} (session seed ${f.sessionSeed})`,
      `inputs in the session: ${f.inputs.length}`,
      `last input (${last?.length ?? 0} bytes): ${last?.toString('hex') ?? ''}`,
      '',
      f.stack,
      '',
    ].join('\n'),
  );
  return `${base}.bin`;
}

export function readCrashFile(path: string): CrashFile {
  return decodeCrashFile(readFileSync(path));
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}
