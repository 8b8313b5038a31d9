import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AlternateDomain,
  AlternateServer,
  errorResponse,
  Lifetime,
  longTermKey,
  MessageIntegrity,
  MessageIntegritySha256,
  Method,
  Nonce,
  PASSWORD_ALGORITHM_SHA256,
  PasswordAlgorithm,
  PasswordAlgorithms,
  Realm,
  RequestedTransport,
  type StunMessage,
  Username,
} from '../../src/stun/index.js';
import { securityFeatures } from '../../src/turn/long-term-credentials.js';
import { bareError } from './fake-server.js';
import { allocated, CLIENT, harness } from './harness.js';

const allocates = (h: ReturnType<typeof harness>) =>
  h.server.requests.filter((r) => r.method === Method.Allocate);

test('Allocate: unsigned first, 401 answered with USERNAME/REALM/NONCE/MESSAGE-INTEGRITY', () => {
  const h = harness();
  const allocation = allocated(h);
  const [first, second] = allocates(h);
  assert.equal(allocates(h).length, 2);
  assert.equal(first!.get(RequestedTransport), 17);
  assert.equal(first!.has(MessageIntegrity.type), false);
  assert.equal(first!.has(Username.type), false);
  assert.equal(second!.get(Username), 'user');
  assert.equal(second!.get(Realm), 'example.org');
  assert.equal(second!.get(Nonce), 'nonce-1');
  assert.equal(second!.has(MessageIntegrity.type), true);
  assert.notDeepEqual(first!.transactionId, second!.transactionId); // a new transaction
  assert.deepEqual(allocation.relayed, { address: '192.0.2.1', port: 49152 });
  assert.deepEqual(allocation.mapped, CLIENT);
  assert.equal(allocation.lifetime, 600);
  assert.equal(h.net.now, 40); // two round trips of 2 × 10 ms
  assert.deepEqual(h.errors, []);
});

test('PASSWORD-ALGORITHMS offered: SHA-256 key, the list echoed, MESSAGE-INTEGRITY-SHA256', () => {
  const h = harness({ server: { passwordAlgorithms: true } });
  allocated(h);
  const signed = allocates(h)[1]!;
  assert.equal(signed.get(PasswordAlgorithm)?.algorithm, PASSWORD_ALGORITHM_SHA256);
  assert.equal(signed.get(PasswordAlgorithms)?.length, 2);
  assert.equal(signed.has(MessageIntegritySha256.type), true);
  assert.equal(signed.has(MessageIntegrity.type), false);
  // Later requests keep signing the same way, and their answers check out.
  h.client.createPermissions(['198.51.100.1'], h.net.now);
  h.net.run({ timeout: 1000 });
  assert.equal(h.server.hasPermission('198.51.100.1'), true);
  assert.deepEqual(h.errors, []);
});

test('the nonce cookie promises PASSWORD-ALGORITHMS: a 401 without them is not retried', () => {
  const h = harness();
  h.server.hook = (request) =>
    errorResponse(request, 401)
      .add(Realm, 'example.org')
      .add(Nonce, 'obMatJos2AAABxyz') // bit 0: password algorithms
      .finish();
  h.client.allocate(0);
  h.net.run({ timeout: 5000 });
  assert.equal(allocates(h).length, 1);
  assert.equal(h.client.state, 'failed');
  assert.equal(h.errors[0]?.errorCode, 401);
});

test('security feature bits of a nonce (RFC 8489 §9.2.1, the B.1 vector nonce)', () => {
  assert.equal(securityFeatures('obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA'), 2);
  assert.equal(securityFeatures('obMatJos2AAAB'), 1);
  assert.equal(securityFeatures('plain nonce'), 0);
  assert.equal(securityFeatures('obMatJos2'), 0);
});

test('wrong credentials: the signed retry gets 401 too, reported as 401 after two requests', () => {
  const h = harness({ client: { password: 'wrong' } });
  h.client.allocate(0);
  h.net.run({ timeout: 5000 });
  assert.equal(allocates(h).length, 2);
  assert.equal(h.client.state, 'failed');
  assert.equal(h.errors.length, 1);
  assert.equal(h.errors[0]!.errorCode, 401);
  assert.equal(h.errors[0]!.errorText, 'Unauthenticated');
  assert.equal(h.errors[0]!.method, Method.Allocate);
});

test('438 Stale Nonce during the Allocate: retried with the new nonce', () => {
  const h = harness();
  let rotated = false;
  h.server.hook = (request) => {
    if (!rotated && request.has(MessageIntegrity.type)) {
      rotated = true;
      h.server.rotateNonce();
    }
    return undefined;
  };
  allocated(h);
  const nonces = allocates(h).map((r) => r.get(Nonce));
  assert.deepEqual(nonces, [undefined, 'nonce-1', 'nonce-2']);
});

test('endless 438s end the request instead of looping', () => {
  const h = harness();
  h.server.hook = (request) => {
    if (request.has(MessageIntegrity.type)) h.server.rotateNonce();
    return undefined;
  };
  h.client.allocate(0);
  h.net.run({ timeout: 5000 });
  assert.equal(h.client.state, 'failed');
  assert.equal(h.errors[0]?.errorCode, 438);
  assert.ok(allocates(h).length <= 6);
});

test('refresh a minute before expiry, again and again; a 438 on the way is answered', () => {
  const h = harness();
  allocated(h);
  h.net.run({ timeout: 539_000 });
  assert.equal(h.server.handled.filter((r) => r.method === Method.Refresh).length, 0);
  h.server.rotateNonce();
  h.net.run({ timeout: 30 * 60_000 });
  const refreshes = h.server.handled.filter((r) => r.method === Method.Refresh);
  // Sent at 20 + 540 s (the Allocate went out at 20 ms), then every 540 s after each one.
  assert.deepEqual(
    refreshes.map((r) => Math.round(r.at / 1000)),
    [540, 1080, 1620, 2160],
  );
  assert.ok(h.server.allocation!.expiresAt > h.net.now);
  assert.equal(refreshes[0]!.request.get(Lifetime), undefined); // the server's default
  assert.deepEqual(h.errors, []);
});

test('a short lifetime is refreshed halfway; the requested LIFETIME is sent', () => {
  const h = harness({ client: { lifetime: 60 } });
  allocated(h);
  assert.equal(allocates(h)[1]!.get(Lifetime), 60);
  h.net.run({ timeout: 100_000 });
  const refreshes = h.server.handled.filter((r) => r.method === Method.Refresh);
  assert.deepEqual(
    refreshes.map((r) => Math.round(r.at / 1000)),
    [30, 60, 90],
  );
  assert.equal(refreshes[0]!.request.get(Lifetime), 60);
});

test('a refresh answered 437 loses the allocation', () => {
  const h = harness();
  allocated(h);
  h.server.allocation = undefined; // the server forgot it
  h.net.run({ timeout: 600_000 });
  assert.equal(h.client.state, 'failed');
  assert.equal(h.errors[0]?.errorCode, 437);
  assert.equal(h.errors[0]?.method, Method.Refresh);
  assert.equal(h.client.nextDeadline(), undefined);
});

test('an unreachable server: 701 after the RFC 8489 schedule (39.5 s over UDP)', () => {
  const h = harness();
  h.server.hook = () => null;
  h.client.allocate(0);
  h.net.run({ timeout: 100_000 });
  assert.equal(allocates(h).length, 7); // Rc
  assert.equal(h.errors.length, 1);
  assert.equal(h.errors[0]!.errorCode, 701);
  assert.equal(h.net.now, 39_500);
});

test('the schedule is configurable: RTO 100 ms, Rc 3, Rm 4 gives up after 700 ms', () => {
  const h = harness({ client: { rto: 100, rc: 3, rm: 4 } });
  h.server.hook = () => null;
  h.client.allocate(0);
  h.net.run({ timeout: 100_000 });
  assert.equal(allocates(h).length, 3);
  assert.equal(h.net.now, 700);
  assert.equal(h.errors[0]!.errorCode, 701);
});

test('over TCP a request is sent once and times out after Ti', () => {
  const h = harness({ client: { transport: 'tcp', timeout: 5000 } });
  h.server.hook = () => null;
  h.client.allocate(0);
  h.net.run({ timeout: 100_000 });
  assert.equal(allocates(h).length, 1);
  assert.equal(h.net.now, 5000);
  assert.equal(h.errors[0]!.errorCode, 701);
});

test('a transport failure while allocating is a 701 at once', () => {
  const h = harness();
  h.server.hook = () => null;
  h.client.allocate(0);
  h.client.handleTransportError('connect ECONNREFUSED 192.0.2.1:3478');
  assert.equal(h.client.state, 'failed');
  assert.deepEqual(h.errors, [
    { errorCode: 701, errorText: 'connect ECONNREFUSED 192.0.2.1:3478' },
  ]);
  assert.equal(h.client.nextDeadline(), undefined);
});

test('Allocate errors are reported with their code and reason (486, 508, 442)', () => {
  for (const code of [486, 508, 442]) {
    const h = harness();
    h.server.hook = (request) =>
      request.has(MessageIntegrity.type) ? signedError(h, request, code) : undefined;
    h.client.allocate(0);
    h.net.run({ timeout: 5000 });
    assert.equal(h.errors.length, 1, `code ${code}`);
    assert.equal(h.errors[0]!.errorCode, code);
    assert.equal(h.errors[0]!.errorText, `reason ${code}`);
  }
});

function signedError(h: ReturnType<typeof harness>, request: StunMessage, code: number): Buffer {
  const { username, realm, password } = h.server.options;
  return bareError(request, code, longTermKey(username, realm, password));
}

test('300 Try Alternate: reported with ALTERNATE-SERVER and ALTERNATE-DOMAIN', () => {
  const h = harness();
  h.server.hook = (request) =>
    errorResponse(request, 300)
      .add(AlternateServer, { address: '203.0.113.9', port: 3479 })
      .add(AlternateDomain, 'turn2.example.org')
      .finish();
  h.client.allocate(0);
  h.net.run({ timeout: 5000 });
  assert.equal(h.errors.length, 1);
  assert.equal(h.errors[0]!.errorCode, 300);
  assert.deepEqual(h.errors[0]!.alternateServer, { address: '203.0.113.9', port: 3479 });
  assert.equal(h.errors[0]!.alternateDomain, 'turn2.example.org');
});

test('close: Refresh with LIFETIME 0, the server deletes the allocation, onClosed', () => {
  const h = harness();
  allocated(h);
  h.client.close(h.net.now);
  assert.equal(h.client.state, 'closing');
  h.net.run({ timeout: 10_000 });
  const last = h.server.handled.at(-1)!;
  assert.equal(last.method, Method.Refresh);
  assert.equal(last.request.get(Lifetime), 0);
  assert.equal(h.server.allocation, undefined);
  assert.equal(h.closed, 1);
  assert.equal(h.client.state, 'closed');
  assert.equal(h.client.nextDeadline(), undefined);
});

test('close never hangs: no answer, closed after closeTimeout', () => {
  const h = harness({ client: { closeTimeout: 1500 } });
  allocated(h);
  const start = h.net.now;
  h.server.hook = () => null;
  h.client.close(start);
  h.net.run({ timeout: 60_000 });
  assert.equal(h.closed, 1);
  assert.equal(h.closedAt! - start, 1500);
  // Retransmitted meanwhile at 500 ms.
  assert.equal(h.server.requests.filter((r) => r.get(Lifetime) === 0).length, 2);
});

test('close while allocating: an Allocate that succeeds later is released at once', () => {
  const h = harness();
  h.client.allocate(0);
  h.net.run({ timeout: 25 }); // the signed Allocate is on its way
  h.client.close(h.net.now);
  h.net.run({ timeout: 10_000 });
  assert.equal(h.closed, 1);
  assert.equal(h.allocated.length, 0);
  assert.equal(h.server.allocation, undefined);
  assert.equal(h.server.handled.at(-1)?.request.get(Lifetime), 0);
});

test('a 437 to the deallocation (already gone) still closes', () => {
  const h = harness();
  allocated(h);
  h.server.allocation = undefined;
  h.client.close(h.net.now);
  h.net.run({ timeout: 10_000 });
  assert.equal(h.closed, 1);
  assert.deepEqual(h.errors, []);
});

test('error responses that lack integrity after authentication are dropped (RFC 8489 §9.2.5)', () => {
  const h = harness();
  allocated(h);
  h.server.hook = (request) => {
    if (request.method !== Method.CreatePermission) return undefined;
    return bareError(request, 400);
  };
  h.client.createPermissions(['198.51.100.1'], h.net.now);
  h.net.run({ timeout: 100_000 });
  // The unsigned 400 never counted: the request was retransmitted to the end, then timed out.
  assert.equal(h.server.requests.filter((r) => r.method === Method.CreatePermission).length, 7);
  assert.equal(h.errors.length, 1);
  assert.equal(h.errors[0]!.errorCode, 701);
  assert.match(h.errors[0]!.errorText, /integrity/);
});
