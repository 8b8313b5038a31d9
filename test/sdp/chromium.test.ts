/**
 * Our SDP against Chromium's: headless Chromium applies the offers and answers our
 * builder writes, what it writes passes our parser and validation, and where it
 * rejects a broken description we reject it with the same exception. The page talks
 * to this test over HTTP on loopback.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fingerprintOf } from '../../src/sdp/attributes/dtls.js';
import { buildDataSection, buildSession, newSessionId } from '../../src/sdp/builder.js';
import { parseCandidate } from '../../src/sdp/candidate.js';
import { getMid } from '../../src/sdp/description.js';
import { parseSdp } from '../../src/sdp/parse.js';
import { serializeSdp } from '../../src/sdp/serialize.js';
import { checkSdp } from '../../src/sdp/validate.js';
import { sdpErrorToException } from '../../src/webrtc/RTCSessionDescription.js';
import { needsPeer, peerPath } from '../support/peers.js';
import { fixture } from './fixtures.js';

const transport = (setup: 'actpass' | 'active') => ({
  iceUfrag: 'pUr3',
  icePwd: 'purertcpurertcpurertc+/',
  fingerprints: [fingerprintOf('sha-256', Buffer.alloc(32, 0xa5))],
  setup,
});

function ourOffer(): string {
  const host = parseCandidate('candidate:1 1 udp 2122260223 127.0.0.1 9 typ host generation 0');
  assert.ok(host.ok);
  const data = buildDataSection({
    mid: '0',
    transport: transport('actpass'),
    candidates: [host.candidate],
    endOfCandidates: true,
  });
  return serializeSdp(
    buildSession({ sessionId: newSessionId(), sessionVersion: 2, bundle: ['0'] }, [data]),
  );
}

function ourAnswer(offer: string): string {
  const r = checkSdp(offer, { type: 'offer' });
  assert.ok(r.ok, 'the Chromium offer is valid');
  const mid = getMid(r.description.media[0]!)!;
  const data = buildDataSection({ mid, transport: transport('active') });
  return serializeSdp(
    buildSession({ sessionId: newSessionId(), sessionVersion: 2, bundle: [mid] }, [data]),
  );
}

/** Variants of an offer with one problem each. */
function brokenOffers(offer: string): [string, string][] {
  const media = fixture('chromium-media-offer.sdp');
  return [
    ['no ice-pwd', offer.replace(/a=ice-pwd:.*\r\n/, '')],
    ['bad setup', offer.replace('a=setup:actpass', 'a=setup:bogus')],
    ['bad fingerprint', offer.replace(/(a=fingerprint:sha-256 )A5/, '$1G5')],
    ['bad line', offer.replace('a=mid:0', 'garbage')],
    ['bad sctp-port', offer.replace('a=sctp-port:5000', 'a=sctp-port:99999')],
    ['BUNDLE names an unknown mid', offer.replace('a=group:BUNDLE 0', 'a=group:BUNDLE 0 7')],
    ['duplicate mid', media.replace('a=mid:1', 'a=mid:0')],
    ['short ice-ufrag', offer.replace('a=ice-ufrag:pUr3', 'a=ice-ufrag:pUr')],
    ['no t=', offer.replace('t=0 0\r\n', '')],
  ];
}

interface Result {
  error?: string;
  /** Chromium's answer to our offer, its view of our offer, its own offer. */
  answer: string;
  remote: string;
  offer: string;
  /** After applying our answer to its offer. */
  signalingState: string;
  /** For each broken offer, the exception name, or 'accepted'. */
  rejections: Record<string, string>;
}

const page = `<!doctype html><script>
(async () => {
  const post = (path, body) => fetch(path, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.text());
  const result = { rejections: {} };
  try {
    const offer = await (await fetch('/offer')).text();
    const a = new RTCPeerConnection();
    await a.setRemoteDescription({ type: 'offer', sdp: offer });
    await a.setLocalDescription();
    result.answer = a.localDescription.sdp;
    result.remote = a.remoteDescription.sdp;
    a.close();

    const b = new RTCPeerConnection();
    b.createDataChannel('x');
    await b.setLocalDescription();
    result.offer = b.localDescription.sdp;
    const answer = await post('/answer', b.localDescription.sdp);
    await b.setRemoteDescription({ type: 'answer', sdp: answer });
    result.signalingState = b.signalingState;
    b.close();

    const cases = await (await fetch('/cases')).json();
    for (const [name, sdp] of cases) {
      const c = new RTCPeerConnection();
      try {
        await c.setRemoteDescription({ type: 'offer', sdp });
        result.rejections[name] = 'accepted';
      } catch (e) {
        result.rejections[name] = e.name;
      }
      c.close();
    }
  } catch (e) {
    result.error = String(e);
  }
  await post('/result', result);
})();
</script>`;

async function body(req: IncomingMessage): Promise<string> {
  let s = '';
  for await (const chunk of req) s += chunk;
  return s;
}

/** Serves the page and its data, starts Chromium on it, and resolves with what it posts. */
async function runInChromium(offer: string, broken: [string, string][]): Promise<Result> {
  const chromium = peerPath('chromium', 'chromium');
  const profile = mkdtempSync(join(tmpdir(), 'purertc-chromium-'));
  let server: Server | undefined;
  let browser: ChildProcess | undefined;
  try {
    return await new Promise<Result>((resolve, reject) => {
      server = createServer(async (req, res) => {
        try {
          if (req.url === '/offer') res.end(offer);
          else if (req.url === '/cases') res.end(JSON.stringify(broken));
          else if (req.url === '/answer') res.end(ourAnswer(JSON.parse(await body(req))));
          else if (req.url === '/result') {
            resolve(JSON.parse(await body(req)));
            res.end();
          } else res.setHeader('content-type', 'text/html').end(page);
        } catch (e) {
          res.statusCode = 500;
          res.end();
          reject(e);
        }
      });
      server.listen(0, '127.0.0.1', () => {
        const { port } = server!.address() as AddressInfo;
        const args = [
          '--headless=new',
          '--no-sandbox',
          '--disable-gpu',
          `--user-data-dir=${profile}`,
        ];
        // Its own process group, so that its renderer and helper processes end with it.
        browser = spawn(chromium, [...args, `http://127.0.0.1:${port}/`], {
          stdio: 'ignore',
          detached: true,
        });
        browser.on('error', reject);
      });
    });
  } finally {
    server?.close();
    if (browser?.pid !== undefined && browser.exitCode === null) {
      const exited = once(browser, 'exit');
      process.kill(-browser.pid, 'SIGTERM');
      await exited;
    }
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  }
}

test('Chromium applies our offer and answer, its SDP passes our validation, and it rejects as we do', {
  ...needsPeer('chromium', 'chromium'),
  timeout: 60_000,
}, async () => {
  const offer = ourOffer();
  const broken = brokenOffers(offer);
  const result = await runInChromium(offer, broken);
  assert.equal(result.error, undefined);
  assert.equal(result.signalingState, 'stable', 'Chromium applied our answer');

  // Chromium's view of our offer keeps our lines.
  const remote = parseSdp(result.remote);
  assert.ok(remote.ok);
  assert.equal(
    remote.description.media[0]!.attributes.find((a) => a.name === 'ice-ufrag')?.value,
    'pUr3',
  );

  // Its answer and its own offer are valid to us, and round-trip byte for byte.
  const ours = parseSdp(offer);
  assert.ok(ours.ok);
  const checks = [
    [result.answer, { type: 'answer' as const, offer: ours.description }],
    [result.offer, { type: 'offer' as const }],
  ] as const;
  for (const [sdp, options] of checks) {
    const checked = checkSdp(sdp, options);
    assert.ok(checked.ok, JSON.stringify(!checked.ok && checked.errors));
    assert.equal(serializeSdp(checked.description), sdp);
  }

  // Where Chromium rejects a broken offer, we reject it with the same exception. It
  // accepts some that RFC 9429 §5.8 says to reject (a short ufrag, no t= line); we
  // reject those too.
  assert.equal(Object.keys(result.rejections).length, broken.length);
  for (const [name, sdp] of broken) {
    const checked = checkSdp(sdp, { type: 'offer' });
    assert.ok(!checked.ok, `we accept ${name}`);
    const chromiumSays = result.rejections[name];
    if (chromiumSays !== 'accepted') {
      assert.equal(sdpErrorToException(checked.errors[0]!).name, chromiumSays, name);
    }
  }
  assert.equal(result.rejections['no ice-pwd'], 'InvalidAccessError');
  assert.equal(result.rejections['bad setup'], 'OperationError');
  assert.equal(result.rejections['duplicate mid'], 'InvalidAccessError');
});
