/**
 * Against coturn: allocations over UDP, TCP and TLS; data between the client and a plain
 * UDP peer through the relay both ways, first as Send/Data indications, then on a channel;
 * a refresh answered with 438 once the nonce went stale, then done; deallocation on close.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { describe, it } from 'node:test';
import { type TurnServerError, TurnSocket } from '../../src/turn/turn-socket.js';
import { needsCoturn, startCoturn } from './coturn.js';
import { sleep, udpPeer, waitFor } from './live.js';

const refreshed = /refreshed, realm=<purertc.test>, username=<user>, lifetime=600/g;

describe('coturn', { concurrency: 4 }, () => {
  for (const transport of ['udp', 'tcp', 'tls'] as const) {
    it(
      `${transport}: allocate, permission, data both ways, channel, refresh, deallocate`,
      needsCoturn(),
      async (t) => {
        const coturn = await startCoturn(t, { args: ['-v', '--stale-nonce=1'] });
        const errors: TurnServerError[] = [];
        const received: { data: string; address: string; port: number }[] = [];
        const turn = new TurnSocket({
          server: coturn.server(transport),
          ca: coturn.certificate,
          onData: (data, address, port) => received.push({ data: data.toString(), address, port }),
          onError: (error) => errors.push(error),
        });
        t.after(() => turn.close());
        assert.equal(turn.relayProtocol, transport);
        const { relayed, mapped } = await turn.allocate();
        assert.equal(turn.state, 'allocated');
        assert.equal(relayed.address, '127.0.0.1');
        assert.ok(
          relayed.port >= coturn.minPort && relayed.port <= coturn.maxPort,
          `${relayed.port}`,
        );
        assert.deepEqual(mapped, turn.local);

        // Indications; the permission is asked for with the first data.
        const peer = await udpPeer(t);
        assert.equal(turn.send(Buffer.from('to peer'), '127.0.0.1', peer.port), true);
        await waitFor('data at the peer', () => peer.received.length === 1);
        assert.deepEqual(peer.received[0], { data: 'to peer', ...relayed });
        peer.socket.send('to client', relayed.port, relayed.address);
        await waitFor('data at the client', () => received.length === 1);
        assert.deepEqual(received[0], { data: 'to client', address: '127.0.0.1', port: peer.port });

        // A channel.
        assert.equal(turn.bindChannel('127.0.0.1', peer.port), true);
        await waitFor('the channel', () => turn.channelBound('127.0.0.1', peer.port));
        turn.send(Buffer.from('on the channel'), '127.0.0.1', peer.port);
        peer.socket.send('channel back', relayed.port, relayed.address);
        await waitFor('channel data', () => peer.received.length === 2 && received.length === 2);
        assert.equal(peer.received[1]!.data, 'on the channel');
        assert.equal(received[1]!.data, 'channel back');
        assert.ok(/CHANNEL_BIND processed, success/.test(coturn.log()));

        // Refreshes until the nonce (a second's life, counted in whole seconds) is stale:
        // a 438, answered with the new nonce.
        for (let i = 0; i < 25 && !/error 438/.test(coturn.log()); i++) {
          turn.refresh();
          await sleep(200);
        }
        assert.ok(/error 438: Stale nonce/.test(coturn.log()), 'no stale nonce within 5 s');
        const before = coturn.log().match(refreshed)?.length ?? 0;
        turn.refresh();
        await waitFor('a refresh', () => (coturn.log().match(refreshed)?.length ?? 0) > before);
        turn.send(Buffer.from('after refresh'), '127.0.0.1', peer.port);
        await waitFor('data after the refresh', () => peer.received.length === 3);

        const closing = Date.now();
        await turn.close();
        assert.ok(Date.now() - closing < 2100);
        await waitFor('the deallocation', () => /refreshed, .*lifetime=0/.test(coturn.log()));
        assert.equal(turn.state, 'closed');
        assert.equal(turn.send(Buffer.from('too late'), '127.0.0.1', peer.port), false);
        assert.deepEqual(errors, []);
      },
    );
  }

  it(
    'udp on a shared socket: the mapped address is that socket, datagrams routed by source',
    needsCoturn(),
    async (t) => {
      const coturn = await startCoturn(t);
      const host = createSocket('udp4');
      await new Promise<void>((resolve) => host.bind(0, '127.0.0.1', resolve));
      t.after(() => host.close());
      const local = { address: '127.0.0.1', port: host.address().port };
      const direct: string[] = [];
      const received: string[] = [];
      const turn = new TurnSocket({
        server: coturn.server('udp'),
        shared: { local, send: (message, address, port) => host.send(message, port, address) },
        onData: (data) => received.push(data.toString()),
      });
      t.after(() => turn.close());
      host.on('message', (message, from) => {
        if (turn.matches(from.address, from.port)) turn.receive(message);
        else direct.push(message.toString());
      });
      const { relayed, mapped } = await turn.allocate();
      assert.deepEqual(mapped, local);
      assert.deepEqual(turn.serverAddress, { address: '127.0.0.1', port: coturn.port });
      const peer = await udpPeer(t);
      turn.send(Buffer.from('relayed'), '127.0.0.1', peer.port);
      await waitFor('data at the peer', () => peer.received.length === 1);
      peer.socket.send('back', relayed.port, relayed.address);
      peer.socket.send('direct', local.port, local.address);
      await waitFor('both datagrams', () => received.length === 1 && direct.length === 1);
      assert.deepEqual([received, direct], [['back'], ['direct']]);
      await turn.close();
      assert.equal(turn.state, 'closed');
    },
  );
});
