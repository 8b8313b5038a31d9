/**
 * The seed corpus: real datagrams recorded from runs of our own layers over the simulated
 * network (or their in-memory links), written to fuzz/corpus/<target>/. Run it again when a
 * layer's wire format changes:
 *
 *   node --import tsx fuzz/capture.ts
 *
 * The recorder keeps one copy of each distinct datagram, at most `limit` per target, so the
 * committed corpus stays small. Seeds from Chromium come from capture-chromium.ts.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { DataChannelAck } from '../src/datachannel/data-channel-ack.js';
import { DataChannelOpen } from '../src/datachannel/data-channel-open.js';
import { demultiplex } from '../src/net/demux.js';
import { connect, simPeer, stunServer } from '../test/ice/sim.js';
import { type Datagram, prng, SimNetwork } from '../test/support/simnet.js';
import { allocated, CLIENT, harness } from '../test/turn/harness.js';
import { DtlsLink, dtlsCertificates } from './targets/dtls.js';
import { ICE_LOCAL, ICE_REMOTE } from './targets/ice.js';
import { SctpLink } from './targets/sctp.js';

export const CORPUS = new URL('./corpus/', import.meta.url);

/** Distinct datagrams per target, in the order first seen. */
export class DatagramRecorder {
  readonly #seen = new Set<string>();
  readonly #files = new Map<string, Buffer[]>();

  constructor(readonly limit = 200) {}

  record(target: string, datagram: Uint8Array): void {
    const data = Buffer.from(datagram);
    const key = `${target}:${createHash('sha1').update(data).digest('hex')}`;
    if (this.#seen.has(key)) return;
    const list = this.#files.get(target) ?? [];
    if (list.length >= this.limit) return;
    this.#seen.add(key);
    list.push(data);
    this.#files.set(target, list);
  }

  /** Records every datagram of a simulated network that `classify` names a target for. */
  tap(net: SimNetwork, classify: (d: Datagram) => string[]): void {
    const previous = net.filter;
    net.filter = (d) => {
      for (const target of classify(d)) this.record(target, d.data);
      return previous ? previous(d) : true;
    };
  }

  /** Replaces fuzz/corpus/<target>/ with the recorded datagrams, as <prefix>-NNN.bin. */
  write(prefix: string): void {
    for (const [target, list] of this.#files) {
      const dir = new URL(`${target}/`, CORPUS);
      mkdirSync(dir, { recursive: true });
      for (const f of readdirSync(dir)) if (f.startsWith(`${prefix}-`)) rmSync(new URL(f, dir));
      for (const [i, d] of list.entries())
        writeFileSync(new URL(`${prefix}-${String(i).padStart(3, '0')}.bin`, dir), d);
      console.log(`${target}: ${list.length} ${prefix} seeds`);
    }
  }
}

/** ICE between two agents with a STUN server: gathering, checks, nomination, consent, a role conflict. */
function captureIce(r: DatagramRecorder): void {
  for (const conflict of [false, true]) {
    const net = new SimNetwork({ seed: 7, delay: 5 });
    r.tap(net, (d) => {
      if (demultiplex(d.data[0] ?? 255) !== 'stun') return [];
      return d.to.address === '10.0.0.1' ? ['stun', 'ice'] : ['stun'];
    });
    stunServer(net, '10.9.9.9');
    const server = { url: 'stun:10.9.9.9:3478', address: '10.9.9.9', port: 3478 };
    const local = simPeer(net, ['10.0.0.1'], { localParameters: ICE_LOCAL, role: 'controlling' });
    const remote = simPeer(net, ['10.0.0.2'], {
      localParameters: ICE_REMOTE,
      role: conflict ? 'controlling' : 'controlled',
    });
    for (const p of [local, remote]) p.agent.gather(p.bases, net.now, [server]);
    connect(net, local, remote);
    net.run({
      until: () => local.agent.state === 'completed' && remote.agent.state === 'completed',
      timeout: 10_000,
    });
    net.advance(30_000); // consent freshness
    for (const p of [local, remote]) p.agent.close();
  }
}

/** DTLS handshakes (cookies, fragments, ECDSA and RSA), data and close, both directions. */
async function captureDtls(r: DatagramRecorder): Promise<void> {
  const certs = await dtlsCertificates();
  const random = prng(3);
  for (const [rsa, mtu] of [
    [false, 1200],
    [true, 1200],
    [false, 300],
  ] as const) {
    const link = new DtlsLink(certs, random, { cookies: true, rsa, mtu });
    let connected = false;
    link.onDatagram = (_to, d) => r.record(connected ? 'dtls-record' : 'dtls-handshake', d);
    link.start();
    connected = link.complete();
    if (!connected) throw new Error('DTLS handshake failed');
    link.client.connection.send(Buffer.from('hello from the client'));
    link.server.connection.send(
      Buffer.alloc(Math.min(900, link.server.connection.maxDataSize), 0x61),
    );
    link.client.connection.close();
    link.pump(8);
  }
  // Plaintexts that dtls-record seals as any content type: alerts, data, a handshake message.
  for (const plain of [
    Buffer.of(1, 0),
    Buffer.of(2, 40),
    Buffer.of(1, 100),
    Buffer.of(1),
    Buffer.from('data'),
  ])
    r.record('dtls-record', plain);
}

/** SCTP: the handshake, messages of many sizes, unordered and partially reliable ones with loss, a stream reset, heartbeats, shutdown. */
function captureSctp(r: DatagramRecorder): void {
  const link = new SctpLink();
  link.onPacket = (_from, p) => r.record('sctp', p);
  const { a, b } = link;
  a.assoc.connect(link.now);
  b.assoc.connect(link.now);
  link.settle(1000);
  for (const size of [1, 100, 1100, 1200, 4000, 12000])
    a.assoc.sendMessage(1, 51, Buffer.alloc(size, 0x62), link.now);
  b.assoc.sendMessage(2, 53, Buffer.alloc(300, 0x63), link.now, { unordered: true });
  link.tick(0);
  link.settle(2000);
  // Partial reliability: the first send is lost, so a FORWARD TSN follows.
  a.assoc.sendMessage(3, 53, Buffer.alloc(500, 0x64), link.now, { maxRetransmits: 0 });
  link.tick(0);
  b.inbox.length = 0;
  a.assoc.sendMessage(3, 53, Buffer.alloc(20, 0x65), link.now);
  link.tick(0);
  link.settle(8000);
  a.assoc.resetStreams([1], link.now);
  link.tick(0);
  link.settle(10_000);
  link.tick(40_000); // heartbeats
  link.settle(42_000);
  a.assoc.shutdown(link.now);
  link.tick(0);
  link.settle(45_000);
}

/** TURN: what the server sends a client through an allocation, permissions, a channel, data both ways, a refresh and the release. */
function captureTurn(r: DatagramRecorder): void {
  const h = harness();
  r.tap(h.net, (d) =>
    d.to.address === CLIENT.address && d.to.port === CLIENT.port ? ['turn', 'stun'] : [],
  );
  allocated(h);
  h.client.sendTo(Buffer.from('via an indication'), '198.51.100.1', 7000, h.net.now);
  h.net.advance(100);
  h.peer.send(Buffer.from('back as a Data indication'), h.server.options.relay);
  h.client.bindChannel('198.51.100.1', 7000, h.net.now);
  h.net.advance(100);
  h.client.sendTo(Buffer.from('over the channel'), '198.51.100.1', 7000, h.net.now);
  h.peer.send(Buffer.from('back as ChannelData'), h.server.options.relay);
  h.net.advance(100);
  h.client.refresh(h.net.now);
  h.net.advance(100);
  h.client.close(h.net.now);
  h.net.advance(3000);
}

/** DCEP messages of each channel type, and an ACK. */
function captureDcep(r: DatagramRecorder): void {
  for (const [type, parameter, label, protocol] of [
    [0x00, 0, 'chat', ''],
    [0x80, 0, '', 'proto'],
    [0x01, 3, 'rexmit', ''],
    [0x81, 0, 'label', 'x'],
    [0x02, 1500, 'timed', ''],
    [0x82, 100, 'ünïcødé', 'sub/protocol'],
  ] as const)
    r.record('dcep', new DataChannelOpen(type, 256, parameter, label, protocol).encode());
  r.record('dcep', DataChannelAck.encode());
  r.record('dcep', Buffer.from('a user message'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = new DatagramRecorder();
  captureIce(r);
  await captureDtls(r);
  captureSctp(r);
  captureDcep(r);
  captureTurn(r);
  r.write('sim');
}
