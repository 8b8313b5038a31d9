/**
 * The TLS 1.2 key schedule: master secret (RFC 5246 §8.1, extended by RFC 7627 §4),
 * key expansion (§6.3), Finished verify_data (§7.4.9) and the keying-material
 * exporter (RFC 5705 §4). Runs once per handshake, never per record.
 */
import { createHash } from 'node:crypto';
import type { CipherSuiteParameters } from './cipherSuites.js';
import { type PrfHash, prf } from './prf.js';

/** master_secret = PRF(pre_master_secret, "master secret", ClientHello.random + ServerHello.random)[0..47]. */
export function masterSecret(
  hash: PrfHash,
  preMasterSecret: Buffer,
  clientRandom: Buffer,
  serverRandom: Buffer,
): Buffer {
  return prf(
    hash,
    preMasterSecret,
    'master secret',
    Buffer.concat([clientRandom, serverRandom]),
    48,
  );
}

/** RFC 7627 §4: master_secret = PRF(pre_master_secret, "extended master secret", session_hash)[0..47]. */
export function extendedMasterSecret(
  hash: PrfHash,
  preMasterSecret: Buffer,
  sessionHash: Buffer,
): Buffer {
  return prf(hash, preMasterSecret, 'extended master secret', sessionHash, 48);
}

/** The AEAD parts of the key block (RFC 5246 §6.3; AEAD suites have no MAC keys). */
export interface KeyBlock {
  clientWriteKey: Buffer;
  serverWriteKey: Buffer;
  clientWriteIv: Buffer;
  serverWriteIv: Buffer;
}

/** key_block = PRF(master_secret, "key expansion", server_random + client_random). */
export function keyBlock(
  suite: CipherSuiteParameters,
  master: Buffer,
  clientRandom: Buffer,
  serverRandom: Buffer,
): KeyBlock {
  const k = suite.keyLength;
  const iv = suite.fixedIvLength;
  const block = prf(
    suite.prfHash,
    master,
    'key expansion',
    Buffer.concat([serverRandom, clientRandom]),
    2 * (k + iv),
  );
  return {
    clientWriteKey: block.subarray(0, k),
    serverWriteKey: block.subarray(k, 2 * k),
    clientWriteIv: block.subarray(2 * k, 2 * k + iv),
    serverWriteIv: block.subarray(2 * k + iv, 2 * (k + iv)),
  };
}

/** The hash of the handshake messages (RFC 5246 §7.4.9), with the PRF's hash. */
export function handshakeHash(hash: PrfHash, messages: readonly Buffer[]): Buffer {
  const h = createHash(hash);
  for (const m of messages) h.update(m);
  return h.digest();
}

/** verify_data = PRF(master_secret, finished_label, Hash(handshake_messages))[0..11]. */
export function verifyData(
  hash: PrfHash,
  master: Buffer,
  label: 'client finished' | 'server finished',
  messagesHash: Buffer,
): Buffer {
  return prf(hash, master, label, messagesHash, 12);
}

/** Labels the key schedule uses; RFC 5705 §4 forbids them for exporters. */
const reservedLabels = new Set([
  'client finished',
  'server finished',
  'master secret',
  'extended master secret',
  'key expansion',
]);

/**
 * RFC 5705 §4: PRF(master_secret, label, client_random + server_random
 * [+ context_value_length + context_value])[length].
 */
export function exportKeyingMaterial(
  hash: PrfHash,
  master: Buffer,
  clientRandom: Buffer,
  serverRandom: Buffer,
  label: string,
  length: number,
  context?: Buffer,
): Buffer {
  if (reservedLabels.has(label)) throw new RangeError(`'${label}' is reserved by TLS`);
  if (context !== undefined && context.length > 0xffff) throw new RangeError('context too long');
  const parts = [clientRandom, serverRandom];
  if (context !== undefined) {
    const n = Buffer.allocUnsafe(2);
    n.writeUInt16BE(context.length);
    parts.push(n, context);
  }
  return prf(hash, master, label, Buffer.concat(parts), length);
}
