import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  Data,
  Lifetime,
  longTermKey,
  MessageIntegrity,
  Method,
  type StunMessage,
  StunWriter,
  successResponse,
  XorMappedAddress,
  XorPeerAddress,
} from '../../src/stun/index.js';
import {
  StreamFramer,
  TURN_FRAME_HEADER_LENGTH,
  turnFrameLength,
} from '../../src/turn/stream-framer.js';
import { prng } from '../support/simnet.js';
import { allocated, CLIENT, harness, PEER } from './harness.js';

const key = longTermKey('user', 'example.org', 'pass');

test('random and mutated server messages never throw, in every state', () => {
  const random = prng(42);
  const h = harness();
  const samples: Buffer[] = [];
  h.server.hook = (request) => {
    samples.push(request.raw);
    return undefined;
  };
  const fuzz = (count: number) => {
    for (let i = 0; i < count; i++) {
      let message: Buffer;
      const pick = random();
      if (pick < 0.3 && h.sent.length > 0) {
        // A real message of ours with bytes flipped, posing as the server's.
        message = Buffer.from(h.sent[Math.floor(random() * h.sent.length)]!);
        for (let k = 0; k < 3; k++) message[Math.floor(random() * message.length)] = random() * 256;
      } else if (pick < 0.5) {
        message = Buffer.alloc(Math.floor(random() * 64));
        message[0] = 0x40 + Math.floor(random() * 16);
        for (let k = 1; k < message.length; k++) message[k] = random() * 256;
      } else {
        message = Buffer.alloc(Math.floor(random() * 200));
        for (let k = 0; k < message.length; k++) message[k] = random() * 256;
        if (message.length >= 8) message.writeUInt32BE(0x2112a442, 4);
      }
      h.client.handleMessage(message, h.net.now);
    }
  };
  fuzz(2000);
  h.client.allocate(h.net.now);
  fuzz(2000);
  h.net.run({ until: () => h.client.state === 'allocated' });
  h.client.sendTo(Buffer.from('x'), PEER.address, PEER.port, h.net.now);
  h.client.bindChannel(PEER.address, PEER.port, h.net.now);
  fuzz(5000);
  h.net.run({ timeout: 1000 });
  fuzz(2000);
  assert.equal(h.client.state, 'allocated');
  h.client.close(h.net.now);
  fuzz(2000);
  h.net.run({ timeout: 5000 });
  assert.equal(h.client.state, 'closed');
});

test('a success without XOR-RELAYED-ADDRESS is dropped; retransmission brings the real one', () => {
  const h = harness({ link: { delay: 10 } });
  let bad = 0;
  h.server.hook = (request) => {
    if (request.method !== Method.Allocate || !request.has(MessageIntegrity.type) || bad > 0)
      return undefined;
    bad++;
    return successResponse(request)
      .add(XorMappedAddress, CLIENT)
      .add(Lifetime, 600)
      .addMessageIntegrity(key)
      .finish();
  };
  h.client.allocate(0);
  h.net.run({ until: () => h.client.state === 'allocated', timeout: 10_000 });
  assert.equal(h.client.state, 'allocated');
  assert.equal(h.net.now, 20 + 500 + 20); // the retransmission after one RTO
});

test('a response with a wrong MESSAGE-INTEGRITY is dropped over UDP and ends the request over TCP', () => {
  const wrongKey = longTermKey('user', 'example.org', 'other');
  const forge = (request: StunMessage) =>
    request.method === Method.Allocate && request.has(MessageIntegrity.type)
      ? successResponse(request)
          .add(XorMappedAddress, CLIENT)
          .add(Lifetime, 600)
          .addMessageIntegrity(wrongKey)
          .finish()
      : undefined;
  const udp = harness();
  udp.server.hook = forge;
  udp.client.allocate(0);
  udp.net.run({ timeout: 100_000 });
  assert.equal(udp.errors[0]?.errorCode, 701);
  assert.match(udp.errors[0]!.errorText, /integrity/);
  assert.equal(udp.net.now, 20 + 39_500); // from the signed Allocate
  const tcp = harness({ client: { transport: 'tcp' } });
  tcp.server.hook = forge;
  tcp.client.allocate(0);
  tcp.net.run({ timeout: 100_000 });
  assert.equal(tcp.errors[0]?.errorCode, 701);
  assert.equal(tcp.net.now, 40); // at once
});

test('answers to nothing, to another method, or from the past are ignored', () => {
  const h = harness();
  allocated(h);
  const stray = new StunWriter(Method.Allocate, 'success').add(Lifetime, 1).finish();
  h.client.handleMessage(stray, h.net.now);
  const allocate = h.server.requests.find((r) => r.has(MessageIntegrity.type))!;
  h.client.handleMessage(
    successResponse(allocate).add(Lifetime, 1).addMessageIntegrity(key).finish(),
    h.net.now,
  );
  assert.equal(h.client.allocation?.lifetime, 600);
  assert.equal(h.allocated.length, 1);
});

test('Data indications without a peer or data, or from unknown peers, are dropped', () => {
  const h = harness();
  allocated(h);
  h.client.createPermissions([PEER.address], h.net.now);
  h.net.run({ timeout: 1000 });
  const indication = (f: (w: StunWriter) => StunWriter) =>
    f(new StunWriter(Method.Data, 'indication')).finish();
  h.client.handleMessage(
    indication((w) => w.add(Data, Buffer.from('no peer'))),
    h.net.now,
  );
  h.client.handleMessage(
    indication((w) => w.add(XorPeerAddress, PEER)),
    h.net.now,
  );
  h.client.handleMessage(
    indication((w) =>
      w.add(XorPeerAddress, { address: '203.0.113.1', port: 1 }).add(Data, Buffer.from('?')),
    ),
    h.net.now,
  );
  h.client.handleMessage(
    indication((w) =>
      w.add(XorPeerAddress, PEER).add(Data, Buffer.from('ok')).addRaw(0x7fff, Buffer.alloc(0)),
    ),
    h.net.now,
  );
  assert.deepEqual(h.received, []);
  h.client.handleMessage(
    indication((w) => w.add(XorPeerAddress, PEER).add(Data, Buffer.from('ok'))),
    h.net.now,
  );
  assert.deepEqual(h.received, [{ data: 'ok', address: PEER.address, port: PEER.port }]);
});

test('over a TCP stream cut at random: allocate, permission, channel, data both ways, refresh', () => {
  const random = prng(7);
  /** Feeds `bytes` to `framer` in random pieces of 1 to 40 bytes. */
  const trickle = (bytes: Buffer, framer: StreamFramer) => {
    for (let offset = 0; offset < bytes.length; ) {
      const n = 1 + Math.floor(random() * 40);
      assert.equal(framer.push(bytes.subarray(offset, offset + n)), true);
      offset += n;
    }
  };
  // Both directions go through a framer as a byte stream would; pieces of one message
  // wait in the framer for the next send, as on a real connection.
  const toServer = new StreamFramer(TURN_FRAME_HEADER_LENGTH, turnFrameLength, (frame) =>
    h.socket.send(frame, h.server.options.address),
  );
  const h = harness({
    client: { transport: 'tcp', lifetime: 60, send: (message) => trickle(message, toServer) },
    server: { padChannelData: true },
  });
  const toClient = new StreamFramer(TURN_FRAME_HEADER_LENGTH, turnFrameLength, (frame) =>
    h.client.handleMessage(frame, h.net.now),
  );
  h.socket.onReceive = (data) => trickle(data, toClient);
  const relayed = allocated(h).relayed;
  h.client.bindChannel(PEER.address, PEER.port, h.net.now);
  h.client.sendTo(Buffer.from('via stream'), PEER.address, PEER.port, h.net.now);
  h.net.run({ timeout: 1000 });
  h.client.sendTo(Buffer.from('odd length'), PEER.address, PEER.port, h.net.now);
  h.peer.send(Buffer.from('abc'), relayed);
  h.net.run({ timeout: 100_000 });
  assert.deepEqual(
    h.atPeer.map((p) => p.data),
    ['via stream', 'odd length'],
  );
  assert.deepEqual(h.received, [{ data: 'abc', address: PEER.address, port: PEER.port }]);
  assert.ok(h.server.handled.filter((r) => r.method === Method.Refresh).length >= 3);
  assert.deepEqual(h.errors, []);
});
