/**
 * The TURN client's queues and tables (RFC 8656): data waiting for a permission the server
 * does not answer, permissions and channels for ever more peers, and what the server (or
 * anyone on its path) sends for peers and channels the client never asked for. Each is
 * bounded: sendTo() says when it dropped, nothing unasked-for is delivered, memory stays flat.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  Data,
  encodeChannelData,
  Method,
  StunWriter,
  XorPeerAddress,
} from '../../src/stun/index.js';
import { allocated, harness } from '../turn/harness.js';
import { growth, MB } from './memory.js';

test('data for peers whose permission never comes: queued up to the limit, then refused', () => {
  const h = harness({ client: { maxQueuedBytesPerPeer: 16 * 1024, maxQueuedBytes: 64 * 1024 } });
  allocated(h);
  h.server.hook = (request) => (request.method === Method.CreatePermission ? null : undefined);
  const data = Buffer.alloc(1000, 1);
  let accepted = 0;
  let refused = 0;
  const flood = (n: number) => {
    for (let i = 0; i < n; i++) {
      if (h.client.sendTo(data, `198.51.100.${1 + (i % 8)}`, 7000, h.net.now)) accepted++;
      else refused++;
    }
    h.net.advance(10);
  };
  const grew = growth(flood, 200);
  assert.ok(accepted * data.length <= 64 * 1024, `${accepted * data.length} bytes queued`);
  assert.ok(refused > 2000, `${refused} refused`);
  assert.ok(grew < 1 * MB, `memory grew ${(grew / MB).toFixed(2)} MB`);
});

test('permissions and channels for ever more peers stop at their limits', () => {
  const h = harness({ client: { maxPermissions: 20, maxChannels: 10 } });
  allocated(h);
  let peer = 0;
  let permissions = 0;
  let channels = 0;
  const flood = (n: number) => {
    for (let i = 0; i < n; i++, peer++) {
      const address = `203.0.${(peer >> 8) & 255}.${peer & 255}`;
      if (h.client.sendTo(Buffer.from('x'), address, 9000, h.net.now)) permissions++;
      if (h.client.bindChannel(address, 9000, h.net.now)) channels++;
    }
    h.net.advance(100);
  };
  const grew = growth(flood, 300);
  assert.equal(permissions, 20);
  assert.equal(channels, 10);
  assert.ok(grew < 1 * MB, `memory grew ${(grew / MB).toFixed(2)} MB`);
});

test('Data indications and ChannelData the client never asked for are dropped', () => {
  const h = harness();
  allocated(h);
  h.client.sendTo(Buffer.from('hello'), '198.51.100.1', 7000, h.net.now);
  h.net.advance(100);
  const before = h.received.length;
  const server = h.server.options.address;
  const flood = (n: number) => {
    for (let i = 0; i < n; i++) {
      // A peer without a permission, and channels never bound.
      const indication = new StunWriter(Method.Data, 'indication')
        .add(XorPeerAddress, { address: `192.0.2.${1 + (i % 200)}`, port: 1000 + i })
        .add(Data, Buffer.alloc(200, 2))
        .finish();
      h.net.send(server, { address: '10.0.0.1', port: 5000 }, indication);
      h.net.send(
        server,
        { address: '10.0.0.1', port: 5000 },
        encodeChannelData(0x4000 + (i % 0x1000), Buffer.alloc(200, 3)),
      );
    }
    h.net.advance(50);
  };
  const grew = growth(flood, 500);
  assert.equal(h.received.length, before, 'nothing delivered');
  assert.equal(h.client.state, 'allocated');
  assert.ok(grew < 1 * MB, `memory grew ${(grew / MB).toFixed(2)} MB`);
});
