/** The TLS 1.2 pseudorandom function (RFC 5246 §5). */
import { createHmac } from 'node:crypto';

export type PrfHash = 'sha256' | 'sha384';

/** P_hash(secret, seed) = HMAC(secret, A(1) + seed) + HMAC(secret, A(2) + seed) + ..., A(i) = HMAC(secret, A(i-1)). */
function pHash(hash: PrfHash, secret: Buffer, seed: Buffer, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let a = seed; // A(0)
  for (let written = 0; written < length; ) {
    a = createHmac(hash, secret).update(a).digest();
    const block = createHmac(hash, secret).update(a).update(seed).digest();
    written += block.copy(out, written);
  }
  return out;
}

/** PRF(secret, label, seed) = P_<hash>(secret, label + seed), truncated to `length` bytes. */
export function prf(
  hash: PrfHash,
  secret: Buffer,
  label: string,
  seed: Buffer,
  length: number,
): Buffer {
  return pHash(hash, secret, Buffer.concat([Buffer.from(label, 'latin1'), seed]), length);
}
