/**
 * Chromium and our RTCPeerConnection through coturn's TLS port (turns:), both with the relay
 * policy: relayed candidates and pairs on both sides, data both ways, and the median connect
 * time of ten connections. Trust in the test's self-signed certificate: our side runs in a
 * child process started with NODE_EXTRA_CA_CERTS naming it, as an application trusts a
 * private CA with Node (the W3C configuration has no CA member); Chromium is started with
 * --ignore-certificate-errors.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { median } from '../e2e/turn-peers.js';
import { startCoturn } from '../turn/coturn.js';
import {
  type ChromiumRelayRun,
  checkRun,
  needsChromiumAndCoturn,
  wideRelayRange,
} from './chromium-turn-peers.js';

const RUNS = 10;

test('Chromium through coturn over TLS', needsChromiumAndCoturn(), async (t) => {
  const coturn = await startCoturn(t, { args: wideRelayRange() });
  const dir = mkdtempSync(join(tmpdir(), 'purertc-turns-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const ca = join(dir, 'ca.pem');
  writeFileSync(ca, coturn.certificate);
  const { url } = coturn.server('tls');
  const configuration = {
    iceServers: [{ urls: url, username: coturn.username, credential: coturn.password }],
    iceTransportPolicy: 'relay',
  };
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./chromium-turn-tls.child.ts', import.meta.url))],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        NODE_EXTRA_CA_CERTS: ca,
        NODE: JSON.stringify(configuration),
        PAGE: JSON.stringify(configuration),
        RUNS: String(RUNS),
      },
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearTimeout(timer);
  assert.equal(code, 0, 'the child process failed or hung');
  const runs = JSON.parse(out) as ChromiumRelayRun[];
  assert.equal(runs.length, RUNS);
  for (const run of runs)
    checkRun(run, { relayProtocol: 'tls', url }, { relayProtocol: 'tls', url });
  const times = runs.map((r) => r.connectMs);
  t.diagnostic(
    `connect with Chromium through TURN over tls: median ${median(times).toFixed(0)} ms of ${RUNS} (${Math.min(...times).toFixed(0)}–${Math.max(...times).toFixed(0)} ms)`,
  );
  assert.ok(median(times) < 3000, `median ${median(times)} ms`);
});
