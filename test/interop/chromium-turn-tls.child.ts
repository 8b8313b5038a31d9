/**
 * Run by chromium-turn-tls.test.ts in a process of its own, with NODE_EXTRA_CA_CERTS naming
 * the test coturn's self-signed certificate (the W3C configuration cannot name a CA). Opens
 * Chromium with --ignore-certificate-errors (its TURN client has no other way to trust the
 * test certificate), runs chromiumRelayRun() RUNS times with our configuration NODE and
 * Chromium's PAGE (JSON), prints the runs as one JSON line, and must then exit by itself.
 */
import { ChromiumPeer } from './chromium-peer.js';
import { chromiumRelayRun } from './chromium-turn-peers.js';

const peer = await ChromiumPeer.open({ args: ['--ignore-certificate-errors'] });
try {
  const runs = [];
  for (let i = 0; i < Number(process.env.RUNS); i++) {
    runs.push(
      await chromiumRelayRun(peer, JSON.parse(process.env.NODE!), JSON.parse(process.env.PAGE!)),
    );
  }
  process.stdout.write(`${JSON.stringify(runs)}\n`);
} finally {
  await peer.close();
}
