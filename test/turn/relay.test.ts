import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChannelNumber, Method, XorPeerAddress } from '../../src/stun/index.js';
import { allocated, harness, isChannelData, PEER } from './harness.js';

const requestsOf = (h: ReturnType<typeof harness>, method: number) =>
  h.server.handled.filter((r) => r.method === method);

test('data before a permission waits for it, then goes as a Send indication; replies come as Data indications', () => {
  const h = harness();
  const relayed = allocated(h).relayed;
  assert.equal(h.client.sendTo(Buffer.from('one'), PEER.address, PEER.port, h.net.now), true);
  assert.equal(h.client.sendTo(Buffer.from('two'), PEER.address, PEER.port, h.net.now), true);
  h.net.run({ timeout: 1000 });
  assert.equal(requestsOf(h, Method.CreatePermission).length, 1);
  assert.deepEqual(
    h.atPeer.map((p) => p.data),
    ['one', 'two'],
  );
  assert.deepEqual(h.atPeer[0]!.from, relayed);
  h.peer.send(Buffer.from('back'), relayed);
  h.net.run({ timeout: 1000 });
  assert.deepEqual(h.received, [{ data: 'back', address: PEER.address, port: PEER.port }]);
  assert.equal(h.sent.filter(isChannelData).length, 0);
});

test('createPermissions batches peers into one request; non-IP names are ignored', () => {
  const h = harness();
  allocated(h);
  h.client.createPermissions(
    ['198.51.100.1', '198.51.100.2', '2001:db8::1', 'abc.local', '198.51.100.1'],
    h.net.now,
  );
  h.net.run({ timeout: 1000 });
  const requests = requestsOf(h, Method.CreatePermission);
  assert.equal(requests.length, 1);
  assert.deepEqual(
    requests[0]!.request.getAll(XorPeerAddress).map((p) => p.address),
    ['198.51.100.1', '198.51.100.2', '2001:db8::1'],
  );
  assert.ok(h.server.hasPermission('2001:db8::1'));
});

test('permissions asked for at the same time, by several calls and by data, share one request', () => {
  const h = harness();
  allocated(h);
  h.client.createPermissions(['198.51.100.1'], h.net.now);
  h.client.createPermissions(['198.51.100.2'], h.net.now);
  h.client.sendTo(Buffer.from('x'), '198.51.100.3', 1, h.net.now);
  h.net.run({ timeout: 1000 });
  const requests = requestsOf(h, Method.CreatePermission);
  assert.equal(requests.length, 1);
  assert.deepEqual(
    requests[0]!.request.getAll(XorPeerAddress).map((p) => p.address),
    ['198.51.100.1', '198.51.100.2', '198.51.100.3'],
  );
});

test('a used permission is refreshed every 4 minutes, several together; an unused one expires', () => {
  const h = harness();
  allocated(h);
  h.client.createPermissions(['198.51.100.1', '198.51.100.2', '198.51.100.3'], h.net.now);
  h.net.run({ timeout: 1000 });
  // Traffic to .1 and .2 for 20 minutes (one every 10 s); .3 stays idle.
  const other = { address: '198.51.100.2', port: 7001 };
  h.net.bind(other, () => {});
  for (let t = 0; t < 120; t++) {
    h.client.sendTo(Buffer.from(`a${t}`), PEER.address, PEER.port, h.net.now);
    h.client.sendTo(Buffer.from(`b${t}`), other.address, other.port, h.net.now);
    h.net.run({ timeout: 10_000 });
    assert.ok(h.server.hasPermission(PEER.address), `permission lapsed at ${h.net.now}`);
  }
  assert.equal(h.atPeer.length, 120);
  const refreshes = requestsOf(h, Method.CreatePermission).slice(1);
  assert.ok(refreshes.length >= 4 && refreshes.length <= 5, `${refreshes.length} refreshes`);
  for (const r of refreshes)
    assert.deepEqual(
      r.request.getAll(XorPeerAddress).map((p) => p.address),
      ['198.51.100.1', '198.51.100.2'],
    );
  assert.equal(h.server.hasPermission('198.51.100.3'), false);
  // Late traffic to the idle peer asks for its permission again.
  h.client.sendTo(Buffer.from('late'), '198.51.100.3', 9, h.net.now);
  h.net.run({ timeout: 1000 });
  assert.ok(h.server.hasPermission('198.51.100.3'));
});

test('a refused peer in a batch: the batch is split, only that peer fails (403) and its data is dropped', () => {
  const h = harness();
  allocated(h);
  h.server.forbidden.add('198.51.100.66');
  h.client.createPermissions(['198.51.100.1', '198.51.100.66'], h.net.now);
  h.client.sendTo(Buffer.from('x'), '198.51.100.66', 1, h.net.now);
  h.net.run({ timeout: 1000 });
  assert.equal(requestsOf(h, Method.CreatePermission).length, 3);
  assert.ok(h.server.hasPermission('198.51.100.1'));
  assert.equal(h.errors.length, 1);
  assert.equal(h.errors[0]!.errorCode, 403);
  assert.equal(h.errors[0]!.peerAddress, '198.51.100.66');
  assert.equal(h.errors[0]!.method, Method.CreatePermission);
  assert.equal(h.client.sendTo(Buffer.from('y'), '198.51.100.66', 1, h.net.now), false);
  assert.equal(h.client.state, 'allocated');
});

test('ChannelBind: ChannelData both ways once bound, indications before; refreshed while used', () => {
  const h = harness();
  const relayed = allocated(h).relayed;
  h.client.sendTo(Buffer.from('before'), PEER.address, PEER.port, h.net.now);
  assert.equal(h.client.bindChannel(PEER.address, PEER.port, h.net.now), true);
  assert.equal(h.client.channelBound(PEER.address, PEER.port), false);
  h.net.run({ timeout: 1000 });
  assert.equal(h.client.channelBound(PEER.address, PEER.port), true);
  const bind = requestsOf(h, Method.ChannelBind)[0]!.request;
  assert.equal(bind.get(ChannelNumber), 0x4000);
  assert.deepEqual(bind.get(XorPeerAddress), PEER);
  const channelDataBefore = h.sent.filter(isChannelData).length;
  h.client.sendTo(Buffer.from('after'), PEER.address, PEER.port, h.net.now);
  assert.equal(h.sent.filter(isChannelData).length, channelDataBefore + 1);
  assert.equal(h.sent.at(-1)!.length, 4 + 5); // no padding over UDP
  h.peer.send(Buffer.from('reply'), relayed);
  h.net.run({ timeout: 1000 });
  assert.deepEqual(
    h.atPeer.map((p) => p.data),
    ['before', 'after'],
  );
  assert.deepEqual(h.received, [{ data: 'reply', address: PEER.address, port: PEER.port }]);
  // 25 minutes of traffic: the channel is rebound every 9 minutes, the permission every 4.
  for (let t = 0; t < 150; t++) {
    h.client.sendTo(Buffer.from('.'), PEER.address, PEER.port, h.net.now);
    h.net.run({ timeout: 10_000 });
  }
  assert.equal(h.atPeer.length, 152);
  assert.equal(requestsOf(h, Method.ChannelBind).length, 3);
  assert.ok(requestsOf(h, Method.CreatePermission).length >= 6);
  assert.equal(h.client.channelBound(PEER.address, PEER.port), true);
  assert.deepEqual(h.errors, []);
});

test('over TCP, ChannelData is padded to 4 bytes', () => {
  const h = harness({ client: { transport: 'tcp' } });
  allocated(h);
  h.client.bindChannel(PEER.address, PEER.port, h.net.now);
  h.net.run({ timeout: 1000 });
  h.client.sendTo(Buffer.from('abcde'), PEER.address, PEER.port, h.net.now);
  const last = h.sent.at(-1)!;
  assert.equal(last.length, 12);
  assert.equal(last.readUInt16BE(2), 5);
});

test('a peer that sends without a permission is not heard; ChannelData on unknown channels is dropped', () => {
  const h = harness();
  const relayed = allocated(h).relayed;
  h.peer.send(Buffer.from('unasked'), relayed);
  h.net.run({ timeout: 1000 });
  assert.deepEqual(h.received, []);
  const bogus = Buffer.from([0x40, 0x07, 0x00, 0x01, 0x61, 0, 0, 0]);
  h.client.handleMessage(bogus, h.net.now);
  assert.deepEqual(h.received, []);
});

test('queues are bounded per peer and in all while permissions are pending', () => {
  const h = harness({ client: { maxQueuedBytesPerPeer: 1000, maxQueuedBytes: 2500 } });
  allocated(h);
  h.server.hook = (request) => (request.method === Method.CreatePermission ? null : undefined);
  const send = (ip: string) => h.client.sendTo(Buffer.alloc(300), ip, 1, h.net.now);
  const a = [1, 2, 3, 4].map(() => send('198.51.100.1'));
  assert.deepEqual(a, [true, true, true, false]);
  const b = [1, 2, 3, 4].map(() => send('198.51.100.2'));
  assert.deepEqual(b, [true, true, true, false]);
  const c = [1, 2, 3].map(() => send('198.51.100.3'));
  assert.deepEqual(c, [true, true, false]); // 2400 of 2500 in all
  // The permissions time out: queues are dropped, the next data asks again.
  h.net.run({ timeout: 60_000 });
  assert.equal(h.errors.filter((e) => e.errorCode === 701).length, 3);
  h.server.hook = undefined;
  assert.equal(send('198.51.100.1'), true);
  h.net.run({ timeout: 1000 });
  assert.ok(h.server.hasPermission('198.51.100.1'));
});

test('the number of permissions and channels is bounded', () => {
  const h = harness({ client: { maxPermissions: 3, maxChannels: 2 } });
  allocated(h);
  const ok = [1, 2, 3, 4].map((i) => h.client.sendTo(Buffer.from('x'), `198.51.100.${i}`, 1, 0));
  assert.deepEqual(ok, [true, true, true, false]);
  const bound = [1, 2, 3].map((i) => h.client.bindChannel(`198.51.100.${i}`, 1, h.net.now));
  assert.deepEqual(bound, [true, true, false]);
});

test('non-canonical IPv6 text finds the same permission', () => {
  const h = harness();
  allocated(h);
  h.client.createPermissions(['2001:db8::1'], h.net.now);
  h.net.run({ timeout: 1000 });
  h.client.sendTo(Buffer.from('x'), '2001:DB8:0:0::1', 9, h.net.now);
  assert.equal(requestsOf(h, Method.CreatePermission).length, 1);
});

test('nothing is sent after close, and sendTo says so', () => {
  const h = harness();
  allocated(h);
  h.client.close(h.net.now);
  assert.equal(h.client.sendTo(Buffer.from('x'), PEER.address, PEER.port, h.net.now), false);
  assert.equal(h.client.bindChannel(PEER.address, PEER.port, h.net.now), false);
});
