import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  available,
  chacha20Poly1305Open,
  chacha20Poly1305Seal,
} from '../../src/dtls/chacha20Poly1305.js';

function seal(key: Buffer, nonce: Buffer, aad: Buffer, plaintext: Buffer): Buffer {
  const out = Buffer.alloc(plaintext.length + 16);
  chacha20Poly1305Seal(key, nonce, aad, plaintext, out, 0);
  return out;
}

/** The same AEAD through OpenSSL. */
function reference(key: Buffer, nonce: Buffer, aad: Buffer, plaintext: Buffer): Buffer {
  const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  c.setAAD(aad, { plaintextLength: plaintext.length });
  return Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]);
}

test('the WebAssembly engine loads here', () => {
  assert.ok(available);
});

test('RFC 8439 §2.8.2 test vector', () => {
  const key = Buffer.from(
    '808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f',
    'hex',
  );
  const nonce = Buffer.from('070000004041424344454647', 'hex');
  const aad = Buffer.from('50515253c0c1c2c3c4c5c6c7', 'hex');
  const plaintext = Buffer.from(
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
  );
  const sealed = seal(key, nonce, aad, plaintext);
  assert.equal(
    sealed.subarray(0, 32).toString('hex'),
    'd31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6',
  );
  assert.equal(
    sealed.subarray(plaintext.length).toString('hex'),
    '1ae10b594f09e26a7e902ecbd0600691',
  );
  assert.deepEqual(chacha20Poly1305Open(key, nonce, aad, sealed), plaintext);
});

test('matches OpenSSL for every length around the block and batch edges, and up to 2^14 + 2048', () => {
  const lengths = [
    ...Array.from({ length: 300 }, (_, i) => i),
    511,
    512,
    513,
    1163,
    4096,
    16384,
    18432,
  ];
  for (const n of lengths) {
    const key = randomBytes(32);
    const nonce = randomBytes(12);
    const aad = randomBytes(n % 65);
    const plaintext = randomBytes(n);
    const sealed = seal(key, nonce, aad, plaintext);
    assert.deepEqual(sealed, reference(key, nonce, aad, plaintext), `${n} bytes`);
    assert.deepEqual(chacha20Poly1305Open(key, nonce, aad, sealed), plaintext, `${n} bytes`);
  }
});

test('seal writes at an offset and leaves the rest of the buffer alone', () => {
  const key = randomBytes(32);
  const nonce = randomBytes(12);
  const out = Buffer.alloc(100, 0xee);
  chacha20Poly1305Seal(key, nonce, Buffer.alloc(0), Buffer.from('hi'), out, 10);
  assert.ok(out.subarray(0, 10).every((b) => b === 0xee));
  assert.ok(out.subarray(28).every((b) => b === 0xee));
  assert.deepEqual(out.subarray(10, 28), reference(key, nonce, Buffer.alloc(0), Buffer.from('hi')));
});

test('any change to ciphertext, tag, additional data, nonce or key fails to open', () => {
  const key = randomBytes(32);
  const nonce = randomBytes(12);
  const aad = randomBytes(13);
  const plaintext = randomBytes(100);
  const sealed = seal(key, nonce, aad, plaintext);
  for (let i = 0; i < sealed.length; i++) {
    const bad = Buffer.from(sealed);
    bad[i]! ^= 1 << (i % 8);
    assert.equal(chacha20Poly1305Open(key, nonce, aad, bad), undefined, `byte ${i}`);
  }
  for (const [k, n, a] of [
    [Buffer.from(key).fill(1, 0, 1), nonce, aad],
    [key, Buffer.from(nonce).fill(1, 11), aad],
    [key, nonce, Buffer.from(aad).fill(1, 12)],
    [key, nonce, aad.subarray(1)],
  ] as const)
    assert.equal(chacha20Poly1305Open(k, n, a, sealed), undefined);
  assert.equal(
    chacha20Poly1305Open(key, nonce, aad, sealed.subarray(0, 15)),
    undefined,
    'shorter than a tag',
  );
  assert.equal(
    chacha20Poly1305Open(key, nonce, aad, Buffer.alloc(18432 + 17)),
    undefined,
    'too long',
  );
});

test('the embedded module is the build of chacha20Poly1305.c', (t) => {
  const script = fileURLToPath(new URL('../../src/dtls/wasm/build.sh', import.meta.url));
  try {
    execFileSync('clang-14', ['--version'], { stdio: 'ignore' });
    execFileSync('wasm-ld-14', ['--version'], { stdio: 'ignore' });
  } catch {
    t.skip('clang-14 and wasm-ld-14 are not installed (apt-get install -y clang-14 lld-14)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'chacha-'));
  try {
    const rebuilt = join(dir, 'rebuilt.ts');
    execFileSync('sh', [script, rebuilt]);
    const committed = fileURLToPath(
      new URL('../../src/dtls/wasm/chacha20Poly1305.wasm.ts', import.meta.url),
    );
    // Compared as modules: the same bytes, whatever the layout of the source text.
    const bytes = (file: string) => /'([A-Za-z0-9+/=]+)'/.exec(readFileSync(file, 'utf8'))?.[1];
    assert.ok(bytes(rebuilt) === bytes(committed), 'build.sh gives a different module');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
