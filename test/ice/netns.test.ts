/**
 * Two agents, each in its own network namespace behind its own NAT (nftables masquerade),
 * with UDP between the two NATs dropped by the router in between: they gather host,
 * server-reflexive and relayed candidates from coturn on that router (policy 'all'), the
 * direct pairs fail, and only a pair through the TURN relay connects them.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { type TestContext, test } from 'node:test';
import type { Candidate } from '../../src/ice/candidate.js';
import type { UdpIceAgentOptions } from '../../src/ice/udp-agent.js';
import { needsCoturn, startCoturn } from '../turn/coturn.js';
import { until } from './agents.js';
import { natTopology, needsNetns } from './netns.js';

interface Message {
  type: string;
  [key: string]: unknown;
}

interface Child {
  messages: Message[];
  send(message: object): void;
  of(type: string): Message[];
}

/** netns-agent.ts in `ns`, killed when the test ends. */
function agentIn(t: TestContext, ns: string, config: UdpIceAgentOptions): Child {
  const child = spawn(
    'ip',
    [
      'netns',
      'exec',
      ns,
      process.execPath,
      '--import',
      'tsx',
      'test/ice/netns-agent.ts',
      JSON.stringify(config),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  t.after(() => {
    child.kill('SIGKILL');
  });
  child.stdin!.on('error', () => {}); // a child that has exited takes no more lines
  const messages: Message[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => messages.push(JSON.parse(line)));
  return {
    messages,
    send: (message) => child.stdin!.write(`${JSON.stringify(message)}\n`),
    of: (type) => messages.filter((m) => m.type === type),
  };
}

const options = { ...needsNetns(), ...(needsNetns().skip ? {} : needsCoturn()) };

test(
  'behind two NATs with UDP between them dropped, only the TURN relay connects',
  options,
  async (t) => {
    const net = natTopology();
    t.after(() => net.destroy());
    const coturn = await startCoturn(t, { netns: net.inet, ip: net.server });
    const turn = coturn.server('udp');
    const stun = { url: `stun:${net.server}:${coturn.port}`, host: net.server, port: coturn.port };
    const common = { turnServers: [turn], stunServers: [stun] };
    const a = agentIn(t, net.a, { role: 'controlling', ...common });
    const b = agentIn(t, net.b, { role: 'controlled', ...common });
    await until(
      'both started',
      () => a.of('parameters').length > 0 && b.of('parameters').length > 0,
      15_000,
    );
    // Signalling: parameters, then every candidate as it comes.
    const forwarded = [0, 0];
    const relay = setInterval(() => {
      for (const [i, from, to] of [
        [0, a, b],
        [1, b, a],
      ] as const) {
        const candidates = from.of('candidate');
        for (const m of candidates.slice(forwarded[i])) to.send(m);
        forwarded[i] = candidates.length;
      }
    }, 10);
    t.after(() => clearInterval(relay));
    a.send(b.of('parameters')[0]!);
    b.send(a.of('parameters')[0]!);
    const connected = (c: Child) =>
      c.of('state').some((m) => m.state === 'connected' || m.state === 'completed');
    await until('connected', () => connected(a) && connected(b), 20_000);

    const candidates = (c: Child) => c.of('candidate').map((m) => m.candidate as Candidate);
    for (const [child, host, nat] of [
      [a, '10.0.1.2', '203.0.113.2'],
      [b, '10.0.2.2', '198.51.100.2'],
    ] as const) {
      const gathered = candidates(child);
      assert.ok(gathered.some((c) => c.type === 'host' && c.address === host));
      assert.ok(gathered.some((c) => c.type === 'srflx' && c.address === nat));
      const relayed = gathered.find((c) => c.type === 'relay')!;
      assert.equal(relayed.address, net.server);
      assert.equal(relayed.relatedAddress, nat);
      // Whatever pair won, it runs through the relay: one end is the TURN server's address.
      const selected = child.of('selected').at(-1)!;
      const ends = [selected.local, selected.remote] as Candidate[];
      assert.ok(
        ends.some((c) => c.address === net.server),
        `selected ${JSON.stringify(ends)}`,
      );
    }
    a.send({ type: 'send', text: 'across the NATs' });
    b.send({ type: 'send', text: 'and back' });
    await until('data both ways', () => a.of('data').length > 0 && b.of('data').length > 0, 5000);
    assert.equal(b.of('data')[0]!.text, 'across the NATs');
    assert.equal(a.of('data')[0]!.text, 'and back');
    clearInterval(relay);
    a.send({ type: 'close' });
    b.send({ type: 'close' });
  },
);
