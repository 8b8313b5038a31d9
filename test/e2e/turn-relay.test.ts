/**
 * Two of our RTCPeerConnections with iceTransportPolicy 'relay' connecting through coturn,
 * the TURN server reached over UDP, TCP and TLS (turns:), seen only through the W3C API:
 * only relayed candidates in the icecandidate events and in the descriptions, getStats()
 * showing a relayed pair on both sides (relayProtocol and url on the local candidate), and
 * a message each way on a data channel. Ten connections per transport, one after another:
 * every allocation is released by us when its connection closes (coturn logs a Refresh
 * with lifetime 0 for each), and the median time from creating the connections to the
 * channel open on both sides is reported.
 *
 * turns: trust: the W3C configuration has no CA member, so the TLS case runs in a child
 * process started with NODE_EXTRA_CA_CERTS naming coturn's self-signed certificate, as an
 * application trusts a private CA with Node; that process must exit by itself at the end.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { RTCConfiguration } from '../../src/webrtc/configuration.js';
import { type Coturn, needsCoturn, startCoturn } from '../turn/coturn.js';
import { median, type RelayRun, type RelaySide, relayRun } from './turn-peers.js';

const RUNS = 10;

/** coturn's sessions (its log with -v): allocated, released by a Refresh with lifetime 0, deleted. */
function sessions(coturn: Coturn) {
  const ids = (re: RegExp) => new Set([...coturn.log().matchAll(re)].map((m) => m[1]!));
  return {
    allocated: ids(/session (\d+): .*ALLOCATE processed, success/g),
    released: ids(/session (\d+): refreshed, .*lifetime=0/g),
    deleted: ids(/session (\d+): delete:/g),
  };
}

/**
 * Waits until coturn has room for two more allocations: the test coturn has ten relay
 * ports, and frees a released allocation's port on its next one-second tick.
 */
async function roomForTwo(coturn: Coturn): Promise<void> {
  const end = performance.now() + 5000;
  for (;;) {
    const { allocated, deleted } = sessions(coturn);
    if (allocated.size - deleted.size <= coturn.maxPort - coturn.minPort + 1 - 2) return;
    if (performance.now() > end) throw new Error('coturn kept its allocations');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A child process trusting coturn's certificate; run() asks it for one relayRun(). */
function childRunner(t: TestContext, coturn: Coturn, configuration: RTCConfiguration) {
  const dir = mkdtempSync(join(tmpdir(), 'purertc-turns-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const ca = join(dir, 'ca.pem');
  writeFileSync(ca, coturn.certificate);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./turn-tls.child.ts', import.meta.url))],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: {
        ...process.env,
        NODE_EXTRA_CA_CERTS: ca,
        CONFIGURATION: JSON.stringify(configuration),
      },
    },
  );
  t.after(() => child.kill('SIGKILL'));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async run(): Promise<RelayRun> {
      child.stdin.write('run\n');
      const { value, done } = await lines.next();
      assert.ok(!done, 'the child process ended');
      const answer = JSON.parse(value as string) as { run?: RelayRun; error?: string };
      if (answer.error !== undefined) throw new Error(answer.error);
      return answer.run!;
    },
    /** Ends its input; resolves with its exit code, or fails if it does not exit within 5 s. */
    async end(): Promise<number | null> {
      child.stdin.end();
      let timer: NodeJS.Timeout | undefined;
      const hung = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('the child did not exit after closing')), 5000);
      });
      return Promise.race([exited, hung]).finally(() => clearTimeout(timer));
    },
  };
}

function checkSide(side: RelaySide, transport: string, url: string, label: string): void {
  assert.ok(side.candidates.length > 0, `${label}: candidates signalled`);
  for (const c of side.candidates) {
    assert.deepEqual(
      c,
      {
        type: 'relay',
        protocol: 'udp',
        address: '127.0.0.1',
        relayProtocol: transport,
        url,
        // The relay policy keeps our addresses from the peer, the mapped one too.
        relatedAddress: '0.0.0.0',
        relatedPort: 0,
      },
      `${label}: a relayed candidate from the configured server`,
    );
  }
  const lines = side.sdp.match(/^a=candidate:.*$/gm) ?? [];
  assert.ok(lines.length > 0, `${label}: candidates in the description`);
  for (const line of lines)
    assert.match(line, / typ relay raddr 0\.0\.0\.0 rport 0/, `${label}: ${line}`);
  assert.equal(side.pair.state, 'succeeded');
  assert.equal(side.pair.nominated, true);
  assert.equal(side.local.candidateType, 'relay');
  assert.equal(side.local.relayProtocol, transport);
  assert.equal(side.local.url, url);
  assert.equal(side.remote.candidateType, 'relay');
}

describe('two peers relayed through coturn (iceTransportPolicy relay)', () => {
  for (const transport of ['udp', 'tcp', 'tls'] as const) {
    it(
      `turn over ${transport}: relayed candidates only, a relayed pair on both sides, data both ways, allocations released`,
      needsCoturn(),
      async (t) => {
        const coturn = await startCoturn(t, { args: ['-v'] });
        const { url } = coturn.server(transport);
        const configuration: RTCConfiguration = {
          iceServers: [{ urls: url, username: coturn.username, credential: coturn.password }],
          iceTransportPolicy: 'relay',
        };
        const child = transport === 'tls' ? childRunner(t, coturn, configuration) : undefined;
        const runs: RelayRun[] = [];
        for (let i = 0; i < RUNS; i++) {
          await roomForTwo(coturn);
          runs.push(await (child ? child.run() : relayRun(configuration)));
        }
        for (const run of runs) {
          checkSide(run.a, transport, url, 'a');
          checkSide(run.b, transport, url, 'b');
          assert.equal(run.a.received, 'from b');
          assert.equal(run.b.received, 'from a');
          // Each side's remote candidate is the other's relayed address.
          const at = (c: Record<string, unknown>) => `${c.address}:${c.port}`;
          assert.equal(at(run.a.remote), at(run.b.local));
          assert.equal(at(run.b.remote), at(run.a.local));
        }
        if (child) assert.equal(await child.end(), 0);
        // Two allocations per connection, each released by us, not left to expire.
        const end = performance.now() + 2000;
        while (sessions(coturn).released.size < 2 * RUNS && performance.now() < end)
          await new Promise((r) => setTimeout(r, 20));
        const { allocated, released } = sessions(coturn);
        assert.equal(allocated.size, 2 * RUNS);
        assert.deepEqual([...released].sort(), [...allocated].sort());

        const times = runs.map((r) => r.connectMs);
        t.diagnostic(
          `connect through TURN over ${transport}: median ${median(times).toFixed(0)} ms of ${RUNS} (${Math.min(...times).toFixed(0)}–${Math.max(...times).toFixed(0)} ms)`,
        );
        assert.ok(median(times) < 2000, `median ${median(times)} ms`);
      },
    );
  }
});
