/**
 * DTLS record protection and handshake figures:
 *
 *   node --import tsx bench/dtls-record.ts
 *
 * Protect and unprotect 1,200-byte records with each cipher suite's RecordProtection, next
 * to bare node:crypto AES-128-GCM (createCipheriv/createDecipheriv on the same buffers) in the
 * same run; the node:crypto calls each record costs; handshake time over loopback UDP and in
 * memory; certificate generation. Every figure is the median of several runs.
 */

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { CipherSuite, cipherSuiteParameters } from '../src/dtls/cipherSuites.js';
import { DtlsConnection } from '../src/dtls/connection.js';
import type { DtlsCertificate } from '../src/dtls/credentials.js';
import { certificateFingerprint } from '../src/dtls/fingerprint.js';
import { createRecordProtection } from '../src/dtls/recordProtection.js';
import { DtlsSocket } from '../src/dtls/socket.js';
import { dtlsCertificateOf, generateCertificate } from '../src/webrtc/RTCCertificate.js';

const RECORD = 1200;
const RECORDS = 20_000;
const RUNS = 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** MiB/s of `body` run RECORDS times. */
function rate(body: (i: number) => void): number {
  const t = performance.now();
  for (let i = 0; i < RECORDS; i++) body(i);
  return (RECORDS * RECORD) / ((performance.now() - t) / 1000) / 2 ** 20;
}

const payload = randomBytes(RECORD);

interface Case {
  name: string;
  seal: (i: number) => void;
  open: (i: number) => void;
}

/** Bare node:crypto AES-128-GCM on the same buffers: the floor for one cipher object per record. */
function bareGcm(): Case {
  const key = randomBytes(16);
  const iv = randomBytes(12);
  const aad = randomBytes(13);
  const c = createCipheriv('aes-128-gcm', key, iv);
  c.setAAD(aad);
  const ciphertext = c.update(payload);
  c.final();
  const tag = c.getAuthTag();
  return {
    name: 'node:crypto aes-128-gcm, createCipheriv/Decipheriv',
    seal: () => {
      const x = createCipheriv('aes-128-gcm', key, iv);
      x.setAAD(aad);
      x.update(payload);
      x.final();
      x.getAuthTag();
    },
    open: () => {
      const x = createDecipheriv('aes-128-gcm', key, iv);
      x.setAuthTag(tag);
      x.setAAD(aad);
      x.update(ciphertext);
      x.final();
    },
  };
}

function suiteCase(id: CipherSuite): Case {
  const suite = cipherSuiteParameters(id)!;
  const key = randomBytes(suite.keyLength);
  const iv = randomBytes(suite.fixedIvLength);
  const tx = createRecordProtection(suite, 1, key, iv);
  const rx = createRecordProtection(suite, 1, key, iv);
  const sealed = Array.from({ length: 1024 }, (_, i) => tx.seal(23, i, payload));
  return {
    name: suite.name,
    seal: (i) => tx.seal(23, i, payload),
    open: (i) => {
      if (rx.open(sealed[i & 1023]!) === undefined) throw new Error('did not open');
    },
  };
}

console.log(
  `node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores)`,
);
const cases = [bareGcm(), ...Object.values(CipherSuite).map(suiteCase)];
// Rounds interleave the cases, so that load from elsewhere falls on all of them alike.
const results = cases.map(() => ({ seal: [] as number[], open: [] as number[] }));
for (let round = 0; round < RUNS; round++) {
  cases.forEach((c, i) => {
    results[i]!.seal.push(rate(c.seal));
    results[i]!.open.push(rate(c.open));
  });
}
console.log(`\n${RECORD}-byte records, median of ${RUNS} rounds of ${RECORDS}:`);
console.log(
  `${''.padEnd(52)}${'seal MiB/s'.padStart(11)}${'open MiB/s'.padStart(11)}${'µs/seal'.padStart(9)}${'µs/open'.padStart(9)}`,
);
cases.forEach((c, i) => {
  const seal = median(results[i]!.seal);
  const open = median(results[i]!.open);
  const us = (mib: number) => ((RECORD / (mib * 2 ** 20)) * 1e6).toFixed(2).padStart(9);
  console.log(
    `${c.name.padEnd(52)}${seal.toFixed(0).padStart(11)}${open.toFixed(0).padStart(11)}${us(seal)}${us(open)}`,
  );
});

// node:crypto calls per record, counted on the cipher prototypes.
{
  const suite = cipherSuiteParameters(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)!;
  const tx = createRecordProtection(suite, 1, randomBytes(16), randomBytes(4));
  const rx = createRecordProtection(suite, 1, randomBytes(16), randomBytes(4));
  let calls = 0;
  const protos = [
    createCipheriv('aes-128-gcm', randomBytes(16), randomBytes(12)),
    createDecipheriv('aes-128-gcm', randomBytes(16), randomBytes(12)),
  ].flatMap((o) => {
    const p = Object.getPrototypeOf(o);
    return [p, Object.getPrototypeOf(p)];
  });
  const restore: (() => void)[] = [];
  for (const p of protos) {
    for (const name of ['setAAD', 'update', 'final', 'getAuthTag', 'setAuthTag']) {
      if (!Object.hasOwn(p, name)) continue;
      const original = p[name];
      p[name] = function (this: unknown, ...args: unknown[]) {
        calls++;
        return original.apply(this, args);
      };
      restore.push(() => {
        p[name] = original;
      });
    }
  }
  const record = tx.seal(23, 1, payload);
  const sealCalls = calls + 1; // + createCipheriv
  calls = 0;
  rx.open(record);
  const openCalls = calls + 1; // + createDecipheriv
  for (const r of restore) r();
  console.log(`\nnode:crypto calls per record: ${sealCalls} to seal, ${openCalls} to open`);
}

async function certificates(): Promise<[DtlsCertificate, DtlsCertificate]> {
  const times: number[] = [];
  let last: DtlsCertificate | undefined;
  let first: DtlsCertificate | undefined;
  for (let i = 0; i < 21; i++) {
    const t = performance.now();
    last = dtlsCertificateOf(await generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' }));
    times.push(performance.now() - t);
    first ??= last;
  }
  const rsa: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await generateCertificate({
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    });
    rsa.push(performance.now() - t);
  }
  console.log(
    `\ngenerateCertificate: ECDSA P-256 median ${median(times.slice(1)).toFixed(2)} ms (first call ${times[0]!.toFixed(1)} ms), ` +
      `RSA 2048 median ${median(rsa).toFixed(0)} ms`,
  );
  return [first!, last!];
}

/** A handshake between two connections in memory: the CPU cost alone. */
function inMemoryHandshake(a: DtlsCertificate, b: DtlsCertificate): number {
  const queue: [DtlsConnection, Buffer][] = [];
  const client: DtlsConnection = new DtlsConnection({
    role: 'client',
    certificate: a,
    remoteFingerprints: [certificateFingerprint(b.der)],
    send: (d) => queue.push([server, d]),
  });
  const server: DtlsConnection = new DtlsConnection({
    role: 'server',
    certificate: b,
    remoteFingerprints: [certificateFingerprint(a.der)],
    send: (d) => queue.push([client, d]),
  });
  const t = performance.now();
  server.start(0);
  client.start(0);
  for (let item = queue.shift(); item; item = queue.shift()) item[0].handleDatagram(item[1], 0);
  if (client.state !== 'connected' || server.state !== 'connected') throw new Error('no handshake');
  return performance.now() - t;
}

async function loopbackHandshake(a: DtlsCertificate, b: DtlsCertificate): Promise<number> {
  const t = performance.now();
  const server = await DtlsSocket.open({
    role: 'server',
    certificate: b,
    remoteFingerprints: [certificateFingerprint(a.der)],
  });
  const client = await DtlsSocket.open({
    role: 'client',
    certificate: a,
    remote: { address: '127.0.0.1', port: server.localPort },
    remoteFingerprints: [certificateFingerprint(b.der)],
  });
  await Promise.all([client.connected(), server.connected()]);
  const took = performance.now() - t;
  client.close();
  return took;
}

const [a, b] = await certificates();
for (let i = 0; i < 5; i++) inMemoryHandshake(a, b); // warm up
const memory = Array.from({ length: 20 }, () => inMemoryHandshake(a, b));
await loopbackHandshake(a, b); // warm up
const loopback: number[] = [];
for (let i = 0; i < 20; i++) loopback.push(await loopbackHandshake(a, b));
console.log(
  `handshake, ECDSA, with the cookie exchange (median of 20): ${median(loopback).toFixed(2)} ms over loopback UDP, ` +
    `${median(memory).toFixed(2)} ms of CPU in memory`,
);
