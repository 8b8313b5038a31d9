// Consent freshness (RFC 7675) and the W3C states it drives.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConsentFreshness } from '../../src/ice/consent.js';
import { decodeStunMessage, StunMessage } from '../../src/stun/index.js';
import { SimNetwork } from '../support/simnet.js';
import { completedPair, exchange, seeded } from './sim.js';

function connected() {
  const net = new SimNetwork({ delay: 20 });
  return { net, ...completedPair(net) };
}

test('consent requests every 4 to 6 s keep an idle connection up for minutes', () => {
  const { net, a, b } = connected();
  const requests: number[] = [];
  net.filter = (d) => {
    const m = decodeStunMessage(d.data);
    if (m instanceof StunMessage && m.messageClass === 'request' && d.from.address === '10.0.0.1')
      requests.push(net.now);
    return true;
  };
  net.advance(300_000);
  assert.equal(a.agent.state, 'completed');
  assert.equal(b.agent.state, 'completed');
  assert.deepEqual(a.states, ['checking', 'connected', 'completed']);
  const gaps = requests.slice(1).map((t, i) => t - requests[i]!);
  assert.ok(gaps.length > 45);
  for (const gap of gaps) assert.ok(gap >= 4000 && gap <= 6000, `gap ${gap}`);
  assert.ok(Math.max(...gaps) - Math.min(...gaps) > 1000, 'randomized');
  assert.equal(a.agent.selectedPair!.consentRequestsSent, requests.length);
  assert.ok(exchange(net, a, b, 'still here'));
});

test('the peer goes silent: disconnected within seconds, failed when consent expires at 30 s', () => {
  const { net, a } = connected();
  // Watch what A last heard from B (anything) and the last response to A's requests.
  let lastHeard = 0;
  let lastResponse = 0;
  let silent = false;
  net.filter = (d) => {
    if (d.from.address !== '10.0.0.2') return true;
    if (silent) return false;
    lastHeard = net.now;
    const m = decodeStunMessage(d.data);
    if (m instanceof StunMessage && m.messageClass === 'success') lastResponse = net.now;
    return true;
  };
  net.advance(10_000);
  // Everything from B is lost from now on.
  silent = true;
  assert.ok(net.run({ until: () => a.agent.state === 'disconnected', timeout: 60_000 }));
  const disconnectedAfter = net.now - lastHeard;
  assert.ok(
    disconnectedAfter >= 3000 && disconnectedAfter <= 7000,
    `disconnected after ${disconnectedAfter} ms`,
  );
  assert.equal(a.agent.send(Buffer.from([23, 1]), net.now), true); // still allowed to send
  assert.ok(net.run({ until: () => a.agent.state === 'failed', timeout: 60_000 }));
  // 30 s after the last response reached A (sent 20 ms before, the link delay).
  assert.ok(
    Math.abs(net.now - (lastResponse + 20 + 30_000)) < 1,
    `failed at ${net.now - lastResponse}`,
  );
  assert.deepEqual(a.states, ['checking', 'connected', 'completed', 'disconnected', 'failed']);
  // RFC 7675: no more sending once consent is lost, and failed stays.
  assert.equal(a.agent.send(Buffer.from([23, 1]), net.now), false);
  net.filter = undefined;
  net.advance(20_000);
  assert.equal(a.agent.state, 'failed');
});

test('the peer comes back before consent expires: connected again', () => {
  const { net, a, b } = connected();
  net.advance(7000);
  net.filter = () => false; // both directions
  assert.ok(
    net.run({
      until: () => a.agent.state === 'disconnected' && b.agent.state === 'disconnected',
      timeout: 20_000,
    }),
  );
  net.advance(5000);
  net.filter = undefined;
  assert.ok(
    net.run({
      until: () => a.agent.state === 'completed' && b.agent.state === 'completed',
      timeout: 10_000,
    }),
  );
  assert.ok(exchange(net, a, b, 'welcome back'));
  assert.deepEqual(a.states.slice(-2), ['disconnected', 'completed']);
});

test('data from the peer counts as liveness, but not as consent', () => {
  const { net, a, b } = connected();
  // B's STUN is lost, its data is not: A stays up until consent expires.
  net.filter = (d) => d.from.address !== '10.0.0.2' || d.data[0] === 23;
  let at = net.now;
  const timer = {
    nextDeadline: () => at,
    handleTimeout: () => {
      b.agent.send(Buffer.from([23, 0]), net.now);
      at += 500;
    },
  };
  net.addTimed(timer);
  net.advance(20_000);
  assert.equal(a.agent.state, 'completed');
  net.run({ until: () => a.agent.state === 'failed', timeout: 20_000 });
  assert.equal(a.agent.state, 'failed');
  net.removeTimed(timer);
});

test('ConsentFreshness: requests fall on a 250 ms grid, 4 to 6 s apart', () => {
  const random = seeded('grid');
  const consent = new ConsentFreshness(0, 0, random);
  let at = 1234.5;
  for (let i = 0; i < 1000; i++) {
    consent.requested(at);
    const gap = consent.nextRequestAt - at;
    assert.ok(gap >= 4000 && gap <= 6000, `gap ${gap}`);
    assert.equal(consent.nextRequestAt % 250, 0);
    at = consent.nextRequestAt + random() * 30; // a timer fires a little late
  }
});

test('ConsentFreshness: disconnected needs both silence and an unanswered request', () => {
  const consent = new ConsentFreshness(0, 0, seeded('x'), {
    interval: 5000,
    timeout: 30_000,
    silence: 3000,
    unanswered: 1000,
  });
  assert.ok(consent.nextRequestAt >= 4000 && consent.nextRequestAt <= 6000);
  assert.equal(consent.disconnected(10_000), false); // silent, but nothing asked yet
  consent.requested(5000);
  assert.equal(consent.disconnected(5999), false);
  assert.equal(consent.disconnected(6000), true);
  consent.received(6100);
  assert.equal(consent.disconnected(20_000), false);
  consent.requested(7000);
  assert.equal(consent.nextDeadline(true), 9100); // 3 s after the last packet
  assert.equal(consent.expired(29_999), false);
  assert.equal(consent.expired(30_000), true);
  consent.granted(25_000);
  assert.equal(consent.expired(54_999), false);
});
