/**
 * TURN failures through the W3C API (webrtc-pc §4.8.2 RTCPeerConnectionIceErrorEvent): a
 * server refusing our credentials fires icecandidateerror with its STUN error code (401),
 * its reason and the configured url, and the local address and port only when a host
 * candidate already exposes them; a server that cannot be reached (a closed TCP port)
 * fires 701 at once. Either way gathering still completes.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { RTCConfiguration } from '../../src/webrtc/configuration.js';
import {
  RTCPeerConnectionIceErrorEvent,
  type RTCPeerConnectionIceEvent,
} from '../../src/webrtc/events.js';
import { closedTcpPort } from '../support/ports.js';
import { needsCoturn, startCoturn } from '../turn/coturn.js';
import { pc } from '../webrtc/pc-helpers.js';

interface Gathered {
  errors: RTCPeerConnectionIceErrorEvent[];
  /** The candidates of the icecandidate events, as "type address port [relayProtocol]". */
  candidates: { type: string | null; address: string | null; port: number | null }[];
  /** From setLocalDescription() to each error, ms. */
  errorMs: number[];
  /** From setLocalDescription() to gathering complete, ms. */
  gatheringMs: number;
}

/** Gathers once with `configuration` (a data channel offer) and collects what was reported. */
async function gather(t: TestContext, configuration: RTCConfiguration): Promise<Gathered> {
  const p = pc(t, configuration);
  const out: Gathered = { errors: [], candidates: [], errorMs: [], gatheringMs: 0 };
  let started = 0;
  const handled: RTCPeerConnectionIceErrorEvent[] = [];
  p.onicecandidateerror = (e: Event) => handled.push(e as RTCPeerConnectionIceErrorEvent);
  p.addEventListener('icecandidateerror', (e) => {
    out.errors.push(e as RTCPeerConnectionIceErrorEvent);
    out.errorMs.push(performance.now() - started);
  });
  p.addEventListener('icecandidate', (e) => {
    const c = (e as RTCPeerConnectionIceEvent).candidate;
    if (c?.candidate) out.candidates.push({ type: c.type, address: c.address, port: c.port });
  });
  const complete = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('gathering did not complete')), 10_000);
    p.addEventListener('icegatheringstatechange', () => {
      if (p.iceGatheringState !== 'complete') return;
      clearTimeout(timer);
      resolve();
    });
  });
  p.createDataChannel('x');
  started = performance.now();
  await p.setLocalDescription();
  await complete;
  out.gatheringMs = performance.now() - started;
  assert.deepEqual(handled, out.errors, 'onicecandidateerror sees the same events');
  for (const e of out.errors) {
    assert.ok(e instanceof RTCPeerConnectionIceErrorEvent);
    assert.equal(e.type, 'icecandidateerror');
  }
  return out;
}

describe('wrong TURN credentials', () => {
  it(
    'policy all: 401 with the url and the host candidate that reached the server',
    needsCoturn(),
    async (t) => {
      const coturn = await startCoturn(t);
      const url = coturn.server('udp').url;
      const got = await gather(t, {
        iceServers: [{ urls: url, username: coturn.username, credential: 'wrong' }],
      });
      assert.equal(got.errors.length, 1, 'one event for the url');
      const [error] = got.errors;
      assert.equal(error!.errorCode, 401);
      assert.equal(error!.errorText, 'Unauthorized');
      assert.equal(error!.url, url);
      // The allocation shares the host candidate's socket: its address and port are exposed.
      const hosts = got.candidates.filter((c) => c.type === 'host');
      assert.ok(
        hosts.some((c) => c.address === error!.address && c.port === error!.port),
        `${error!.address}:${error!.port} is one of ${JSON.stringify(hosts)}`,
      );
      assert.ok(!got.candidates.some((c) => c.type === 'relay'));
    },
  );

  it(
    'policy all, TURN over TCP: 401 with the exposed host address and the connection port',
    needsCoturn(),
    async (t) => {
      const coturn = await startCoturn(t);
      const url = coturn.server('tcp').url;
      const got = await gather(t, {
        iceServers: [{ urls: url, username: 'nobody', credential: coturn.password }],
      });
      assert.equal(got.errors.length, 1);
      const [error] = got.errors;
      assert.equal(error!.errorCode, 401);
      assert.equal(error!.url, url);
      assert.ok(got.candidates.some((c) => c.type === 'host' && c.address === error!.address));
      assert.equal(typeof error!.port, 'number');
    },
  );

  it(
    'policy relay: 401 without the local address, which no candidate exposes',
    needsCoturn(),
    async (t) => {
      const coturn = await startCoturn(t);
      const url = coturn.server('udp').url;
      const got = await gather(t, {
        iceServers: [{ urls: url, username: coturn.username, credential: 'wrong' }],
        iceTransportPolicy: 'relay',
      });
      assert.deepEqual(got.candidates, []);
      assert.equal(got.errors.length, 1);
      const [error] = got.errors;
      assert.deepEqual(
        [error!.errorCode, error!.errorText, error!.url, error!.address, error!.port],
        [401, 'Unauthorized', url, null, null],
      );
    },
  );
});

describe('an unreachable TURN server (a closed TCP port)', () => {
  for (const scheme of ['turn', 'turns'] as const) {
    it(`${scheme}: 701 at once, and gathering completes`, async (t) => {
      const port = await closedTcpPort();
      const url = `${scheme}:127.0.0.1:${port}?transport=tcp`;
      const got = await gather(t, {
        iceServers: [{ urls: url, username: 'u', credential: 'p' }],
        iceTransportPolicy: 'relay',
      });
      assert.equal(got.errors.length, 1);
      const [error] = got.errors;
      assert.deepEqual(
        [error!.errorCode, error!.url, error!.address, error!.port],
        [701, url, null, null],
      );
      assert.ok(error!.errorText.length > 0);
      t.diagnostic(
        `701 after ${got.errorMs[0]!.toFixed(1)} ms, gathering complete after ${got.gatheringMs.toFixed(1)} ms`,
      );
      // A refused connection is known within a round trip on loopback.
      assert.ok(got.errorMs[0]! < 500, `${got.errorMs[0]} ms`);
      assert.ok(got.gatheringMs < 500, `${got.gatheringMs} ms`);
    });
  }
});
