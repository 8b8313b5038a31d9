/**
 * PASSWORD-ALGORITHMS and PASSWORD-ALGORITHM (RFC 8489 §14.11, §14.12): algorithm
 * numbers (0x0001 MD5, 0x0002 SHA-256) each with a parameters block padded to 4 bytes.
 */
import type { AttributeCodec } from './codec.js';

export interface PasswordAlgorithm {
  algorithm: number;
  parameters: Buffer;
}

export const PASSWORD_ALGORITHM_MD5 = 0x0001;
export const PASSWORD_ALGORITHM_SHA256 = 0x0002;

const padded = (n: number) => (n + 3) & ~3;

/** Reads entries from `value`; undefined when they do not fill it exactly. */
function readList(value: Buffer): PasswordAlgorithm[] | undefined {
  const list: PasswordAlgorithm[] = [];
  let offset = 0;
  while (offset < value.length) {
    if (offset + 4 > value.length) return undefined;
    const length = value.readUInt16BE(offset + 2);
    const end = offset + 4 + padded(length);
    if (end > value.length) return undefined;
    list.push({
      algorithm: value.readUInt16BE(offset),
      parameters: value.subarray(offset + 4, offset + 4 + length),
    });
    offset = end;
  }
  return list;
}

function writeList(list: readonly PasswordAlgorithm[], out: Buffer, offset: number): void {
  for (const { algorithm, parameters } of list) {
    out.writeUInt16BE(algorithm, offset);
    out.writeUInt16BE(parameters.length, offset + 2);
    parameters.copy(out, offset + 4);
    out.fill(0, offset + 4 + parameters.length, offset + 4 + padded(parameters.length));
    offset += 4 + padded(parameters.length);
  }
}

const listSize = (list: readonly PasswordAlgorithm[]) =>
  list.reduce((n, a) => n + 4 + padded(a.parameters.length), 0);

export const passwordAlgorithmsAttribute: AttributeCodec<PasswordAlgorithm[]> = {
  type: 0x8002,
  name: 'PASSWORD-ALGORITHMS',
  decode: readList,
  size: listSize,
  write: writeList,
};

export const passwordAlgorithmAttribute: AttributeCodec<PasswordAlgorithm> = {
  type: 0x001d,
  name: 'PASSWORD-ALGORITHM',
  decode(value) {
    const list = readList(value);
    return list?.length === 1 ? list[0] : undefined;
  },
  size: (entry) => listSize([entry]),
  write: (entry, out, offset) => writeList([entry], out, offset),
};
