import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { CipherSuite, cipherSuiteParameters } from '../../src/dtls/cipherSuites.js';
import { ContentType } from '../../src/dtls/constants.js';
import { plaintextRecord, RECORD_HEADER_LENGTH } from '../../src/dtls/record.js';
import { createRecordProtection } from '../../src/dtls/recordProtection.js';
import { REPLAY_WINDOW_SIZE, ReplayWindow } from '../../src/dtls/replayWindow.js';

const suites = Object.values(CipherSuite).map((id) => cipherSuiteParameters(id)!);

function pair(id: number, epoch = 1) {
  const s = cipherSuiteParameters(id)!;
  const key = randomBytes(s.keyLength);
  const iv = randomBytes(s.fixedIvLength);
  return {
    s,
    key,
    iv,
    tx: createRecordProtection(s, epoch, key, iv),
    rx: createRecordProtection(s, epoch, key, iv),
  };
}

test('every suite round-trips records of every size up to 2^14', () => {
  for (const s of suites) {
    const { tx, rx } = pair(s.id);
    for (const n of [0, 1, 15, 16, 17, 1163, 16384]) {
      const data = randomBytes(n);
      const record = tx.seal(ContentType.application_data, n * 7 + 1, data);
      assert.equal(record.length, RECORD_HEADER_LENGTH + tx.overhead + n, s.name);
      assert.equal(record.readUInt16BE(11), tx.overhead + n);
      assert.deepEqual(rx.open(record), data, s.name);
    }
  }
});

test('AES-GCM: salt + explicit nonce (the epoch and sequence number), AAD per RFC 5246 §6.2.3.3', () => {
  const { key, iv, tx } = pair(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, 1);
  const data = Buffer.from('gcm record');
  const seq = 0x123456789a;
  const r = tx.seal(ContentType.application_data, seq, data);
  assert.equal(r[0], 23);
  assert.equal(r.readUInt16BE(1), 0xfefd);
  assert.equal(r.readUInt16BE(3), 1);
  assert.equal(r.readUIntBE(5, 6), seq);
  const explicit = r.subarray(13, 21);
  assert.deepEqual(explicit, r.subarray(3, 11));
  const aad = Buffer.concat([
    r.subarray(3, 11),
    Buffer.of(23, 0xfe, 0xfd),
    Buffer.of(0, data.length),
  ]);
  const d = createDecipheriv('aes-128-gcm', key, Buffer.concat([iv, explicit]));
  d.setAAD(aad);
  d.setAuthTag(r.subarray(r.length - 16));
  assert.deepEqual(Buffer.concat([d.update(r.subarray(21, r.length - 16)), d.final()]), data);
});

test('ChaCha20-Poly1305: no explicit nonce, IV XOR the padded 64-bit sequence number (RFC 7905 §2)', () => {
  const { key, iv, tx } = pair(CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, 1);
  const data = Buffer.from('chacha record');
  const r = tx.seal(ContentType.application_data, 5, data);
  assert.equal(r.length, 13 + data.length + 16);
  const nonce = Buffer.from(iv);
  const padded = Buffer.concat([Buffer.alloc(4), r.subarray(3, 11)]);
  for (let i = 0; i < 12; i++) nonce[i]! ^= padded[i]!;
  const aad = Buffer.concat([
    r.subarray(3, 11),
    Buffer.of(23, 0xfe, 0xfd),
    Buffer.of(0, data.length),
  ]);
  const d = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  d.setAAD(aad, { plaintextLength: data.length });
  d.setAuthTag(r.subarray(r.length - 16));
  assert.deepEqual(Buffer.concat([d.update(r.subarray(13, r.length - 16)), d.final()]), data);
});

test('opens records sealed independently with node:crypto', () => {
  const { key, iv, rx } = pair(CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, 1);
  const data = Buffer.from('from elsewhere');
  const header = Buffer.from('17fefd0001000000000009', 'hex'); // type, version, epoch 1, seq 9
  const explicit = Buffer.from('0102030405060708', 'hex'); // any unique explicit nonce is valid
  const c = createCipheriv('aes-256-gcm', key, Buffer.concat([iv, explicit]));
  c.setAAD(Buffer.concat([header.subarray(3, 11), Buffer.of(23, 0xfe, 0xfd, 0, data.length)]));
  const body = Buffer.concat([explicit, c.update(data), c.final(), c.getAuthTag()]);
  const record = Buffer.concat([header, Buffer.of(0, body.length), body]);
  assert.deepEqual(rx.open(record), data);
});

test('any change to the authenticated bytes fails to open; length bytes are implicit', () => {
  for (const s of suites) {
    const { tx, rx } = pair(s.id);
    const record = tx.seal(ContentType.application_data, 9, Buffer.from('tamper with me'));
    for (let i = 0; i < record.length; i++) {
      if (i === 11 || i === 12) continue; // the record length field; the AAD uses the real length
      const bad = Buffer.from(record);
      bad[i]! ^= 0x40;
      assert.equal(rx.open(bad), undefined, `${s.name} byte ${i}`);
    }
    assert.equal(rx.open(record.subarray(0, RECORD_HEADER_LENGTH + tx.overhead - 1)), undefined);
    assert.equal(rx.open(record.subarray(0, 5)), undefined);
  }
});

test('a different epoch or key does not open', () => {
  const { s, key, iv, tx } = pair(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, 1);
  const record = tx.seal(ContentType.application_data, 1, Buffer.from('x'));
  const other = createRecordProtection(s, 1, randomBytes(16), iv);
  assert.equal(other.open(record), undefined);
  const rewritten = Buffer.from(record);
  rewritten.writeUInt16BE(2, 3);
  assert.equal(createRecordProtection(s, 2, key, iv).open(rewritten), undefined);
});

test('record protection makes five node:crypto calls per record each way', () => {
  const { tx, rx } = pair(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256);
  const probe = createCipheriv('aes-128-gcm', randomBytes(16), randomBytes(12));
  const probeD = createDecipheriv('aes-128-gcm', randomBytes(16), randomBytes(12));
  const counts = new Map<string, number>();
  const restore: (() => void)[] = [];
  for (const proto of [Object.getPrototypeOf(probe), Object.getPrototypeOf(probeD)]) {
    for (const name of ['setAAD', 'update', 'final', 'getAuthTag', 'setAuthTag']) {
      const owner = [proto, Object.getPrototypeOf(proto)].find((p) => Object.hasOwn(p, name));
      if (!owner) continue;
      const original = owner[name];
      owner[name] = function (this: unknown, ...args: unknown[]) {
        counts.set(name, (counts.get(name) ?? 0) + 1);
        return original.apply(this, args);
      };
      restore.push(() => {
        owner[name] = original;
      });
    }
  }
  try {
    const record = tx.seal(ContentType.application_data, 1, Buffer.alloc(1200));
    // one create + setAAD + update + final + getAuthTag
    assert.deepEqual(Object.fromEntries(counts), { setAAD: 1, update: 1, final: 1, getAuthTag: 1 });
    counts.clear();
    assert.ok(rx.open(record));
    // one create + setAuthTag + setAAD + update + final
    assert.deepEqual(Object.fromEntries(counts), { setAuthTag: 1, setAAD: 1, update: 1, final: 1 });
  } finally {
    for (const r of restore) r();
  }
});

test('plaintext records carry the header fields', () => {
  const r = plaintextRecord(22, 0, 0xabcdef, Buffer.from('hi'), 0xfeff);
  assert.equal(r.toString('hex'), '16feff0000000000abcdef00026869');
});

test('replay window: new, duplicate, reordered, too old', () => {
  const w = new ReplayWindow();
  assert.ok(w.check(0));
  w.accept(0);
  assert.ok(!w.check(0));
  assert.ok(w.check(5));
  w.accept(5);
  for (const s of [1, 2, 3, 4]) assert.ok(w.check(s), `${s}`);
  w.accept(3);
  assert.ok(!w.check(3));
  assert.ok(w.check(4));
  // slide far ahead: everything at or before top - size is too old
  const top = 1000;
  w.accept(top);
  assert.ok(!w.check(top - REPLAY_WINDOW_SIZE));
  assert.ok(w.check(top - REPLAY_WINDOW_SIZE + 1));
  assert.ok(!w.check(5));
  // the window slides by one and clears the bit of the number that left it
  w.accept(top - 1);
  w.accept(top + 1);
  assert.ok(!w.check(top - 1));
  assert.ok(w.check(top - REPLAY_WINDOW_SIZE + 2));
});

test('replay window agrees with a plain set over random traffic, at 48-bit sequence numbers too', () => {
  for (const base of [0, 2 ** 48 - 5000]) {
    const w = new ReplayWindow();
    const seen = new Set<number>();
    let top = -1;
    let x = 12345;
    for (let i = 0; i < 5000; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      const seq = base + Math.max(0, top - base + (x % 200) - 120);
      const expected = !seen.has(seq) && !(top - seq >= REPLAY_WINDOW_SIZE);
      assert.equal(w.check(seq), expected, `seq ${seq - base}`);
      if (expected) {
        w.accept(seq);
        seen.add(seq);
        top = Math.max(top, seq);
      }
    }
  }
});
