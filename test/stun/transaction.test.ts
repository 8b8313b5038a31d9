import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ClientTransactions,
  decodeStunMessage,
  ErrorCode,
  Method,
  StunMessage,
  StunWriter,
  shortTermKey,
  type TransactionOptions,
  XorMappedAddress,
} from '../../src/stun/index.js';

function setup(options: TransactionOptions = {}) {
  const sends: number[] = [];
  const timeouts: [string, number][] = [];
  let now = 0;
  const transactions = new ClientTransactions<string>(
    {
      transmit: () => sends.push(now),
      timeout: (context, at) => timeouts.push([context, at]),
    },
    options,
  );
  /** Runs the transaction clock like a DeadlineTimer would, until `until`. */
  const runUntil = (until: number) => {
    for (;;) {
      const next = transactions.nextDeadline();
      if (next === undefined || next > until) break;
      now = next;
      transactions.handleTimeout(now);
    }
    now = until;
  };
  return { transactions, sends, timeouts, runUntil, at: (t: number) => (now = t) };
}

const request = () => new StunWriter(Method.Binding, 'request').finish();

function respond(
  to: Buffer,
  build: (w: StunWriter) => StunWriter = (w) => w,
  cls: 'success' | 'error' = 'success',
): StunMessage {
  const m = decodeStunMessage(
    build(new StunWriter(Method.Binding, cls, to.subarray(8, 20))).finish(),
  );
  assert.ok(m instanceof StunMessage);
  return m;
}

test('RFC 8489 §6.2.1 schedule: sends at 0, 500, 1500, ... 31500, timeout at 39500', () => {
  const { transactions, sends, timeouts, runUntil } = setup();
  transactions.start(request(), 'job', 0);
  runUntil(100_000);
  assert.deepEqual(sends, [0, 500, 1500, 3500, 7500, 15500, 31500]);
  assert.deepEqual(timeouts, [['job', 39500]]);
  assert.equal(transactions.size, 0);
  assert.equal(transactions.nextDeadline(), undefined);
});

test('the schedule follows a configured RTO, Rc and Rm', () => {
  const { transactions, sends, timeouts, runUntil, at } = setup({ rto: 100, rc: 3, rm: 4 });
  transactions.start(request(), 'job', at(1000));
  runUntil(10_000);
  assert.deepEqual(sends, [1000, 1100, 1300]);
  assert.deepEqual(timeouts, [['job', 1700]]);
});

test('a response ends the transaction and stops retransmissions', () => {
  const { transactions, sends, timeouts, runUntil } = setup();
  const req = request();
  transactions.start(req, 'job', 0);
  runUntil(1600);
  const result = transactions.handleResponse(
    respond(req, (w) => w.add(XorMappedAddress, { address: '192.0.2.1', port: 9 })),
  );
  assert.equal(result?.kind, 'success');
  assert.equal(result?.context, 'job');
  runUntil(100_000);
  assert.deepEqual(sends, [0, 500, 1500]);
  assert.deepEqual(timeouts, []);
  // A late duplicate of the response answers nothing.
  assert.equal(transactions.handleResponse(respond(req)), undefined);
});

test('error responses carry the code; unknown comprehension-required attributes fail the transaction', () => {
  const { transactions } = setup();
  const a = request();
  transactions.start(a, 'a', 0);
  const error = transactions.handleResponse(
    respond(a, (w) => w.add(ErrorCode, { code: 401, reason: 'Unauthenticated' }), 'error'),
  );
  assert.deepEqual(error?.kind === 'error' && [error.code, error.reason], [401, 'Unauthenticated']);
  const b = request();
  transactions.start(b, 'b', 0);
  const failed = transactions.handleResponse(respond(b, (w) => w.addRaw(0x0031, Buffer.alloc(4))));
  assert.equal(failed?.kind, 'failure');
  assert.deepEqual(failed?.kind === 'failure' && failed.unknownAttributes, [0x0031]);
  const c = request();
  transactions.start(c, 'c', 0);
  assert.equal(transactions.handleResponse(respond(c, (w) => w, 'error'))?.kind, 'failure'); // no ERROR-CODE
  // An optional unknown attribute is fine.
  const d = request();
  transactions.start(d, 'd', 0);
  assert.equal(
    transactions.handleResponse(respond(d, (w) => w.addRaw(0xc057, Buffer.alloc(4))))?.kind,
    'success',
  );
});

test('a rejected response (bad integrity) is ignored and retransmissions go on', () => {
  const { transactions, sends, runUntil } = setup();
  const req = request();
  transactions.start(req, 'job', 0);
  const key = shortTermKey('right');
  const forged = respond(req, (w) => w.addMessageIntegrity(shortTermKey('wrong')));
  const accept = (m: StunMessage) => m.checkIntegrity(key) === 'ok';
  assert.equal(transactions.handleResponse(forged, accept), undefined);
  runUntil(600);
  assert.deepEqual(sends, [0, 500]);
  assert.equal(
    transactions.handleResponse(
      respond(req, (w) => w.addMessageIntegrity(key)),
      accept,
    )?.kind,
    'success',
  );
});

test('responses of another method or to unknown ids match nothing', () => {
  const { transactions } = setup();
  const req = request();
  transactions.start(req, 'job', 0);
  const other = decodeStunMessage(
    new StunWriter(Method.Allocate, 'success', req.subarray(8, 20)).finish(),
  );
  assert.ok(other instanceof StunMessage);
  assert.equal(transactions.handleResponse(other), undefined);
  assert.equal(transactions.handleResponse(respond(request())), undefined);
  assert.equal(transactions.context(req.subarray(8, 20)), 'job');
});

test('cancel stops retransmissions, still matches a late response, and never reports a timeout', () => {
  const { transactions, sends, timeouts, runUntil } = setup();
  const req = request();
  transactions.start(req, 'job', 0);
  runUntil(600);
  transactions.cancel(req.subarray(8, 20));
  runUntil(39_000);
  assert.deepEqual(sends, [0, 500]);
  assert.equal(transactions.handleResponse(respond(req))?.kind, 'success');
  const other = request();
  transactions.start(other, 'other', 39_000);
  transactions.cancel(other.subarray(8, 20));
  runUntil(200_000);
  assert.deepEqual(timeouts, []);
  assert.equal(transactions.size, 0);
});
