/**
 * The runnable examples, run as a user runs them (a child process each), against the sources
 * (from-source.mjs maps their dist/ imports to src/): the in-process data channel example,
 * and the `npm start` demo's self-test, where headless Chromium uses the demo page.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { needsPeer, peerPath } from '../support/peers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function run(script: string, args: string[] = [], timeout = 30_000) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--import', './test/interop/from-source.mjs', script, ...args],
      { cwd: root, timeout, env: { ...process.env, PURERTC_SELFTEST: '' } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

test('examples/datachannel.mjs: two connections, a message each way, close', async () => {
  const { code, stdout, stderr } = await run('examples/datachannel.mjs');
  assert.equal(code, 0, stderr);
  assert.deepEqual(stdout.trim().split('\n'), [
    'channel "chat" open (id 1)',
    'bob got: hello bob',
    'alice got: hi alice, bob here (you said "hello bob")',
    'channel closed',
  ]);
});

test(
  'the demo (npm start -- --selftest): Chromium connects, every echo matches, stats show',
  needsPeer('chromium', 'chromium'),
  async () => {
    const chromium = peerPath('chromium', 'chromium');
    const { code, stdout, stderr } = await run('examples/demo/server.mjs', [
      '--selftest',
      '--chromium',
      chromium,
    ]);
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    assert.match(stdout, /data channel open after/);
    assert.equal(stdout.match(/echo matches/g)?.length, 3, stdout);
    assert.match(stdout, /connection: connected/);
    assert.match(stdout, /security: DTLS 1\.2, TLS_ECDHE_ECDSA_WITH_/);
    assert.match(stdout, /round-trip time: \d+\.\d+ ms/);
    assert.match(stdout, /self-test passed/);
  },
);
