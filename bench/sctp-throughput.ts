/**
 * SCTP throughput: one reliable ordered stream, 64 MiB one way in 16 KiB and in 64 KiB
 * messages, over real UDP loopback sockets, through our DTLS 1.2 with its preferred cipher
 * suite (and, for comparison, bare UDP); the sender keeps the buffered amount under a
 * high-water mark and refills on each decrease, as an application does with
 * bufferedamountlow. Then the delivery time and retransmissions of a fixed transfer on the
 * simulated network with 5% loss. The sockets keep the system's default buffer sizes.
 *
 *   node --import tsx bench/sctp-throughput.ts [MiB]
 */
import { cpus } from 'node:os';
import { cipherSuiteParameters, defaultCipherSuites } from '../src/dtls/cipherSuites.js';
import { now } from '../src/net/timer.js';
import { DEFAULT_MTU } from '../src/sctp/options.js';
import { type LoopbackPair, overDtls, overUdp } from '../test/sctp/driver.js';
import { connectedPair } from '../test/sctp/harness.js';

const MIB = 1024 * 1024;
const total = Number(process.argv[2] ?? 64) * MIB;
const HIGH_WATER = 1 * MIB;

async function loopback(
  via: typeof overDtls,
  messageSize: number,
): Promise<{ mibps: number; transport: string; retransmissions: number }> {
  const message = Buffer.alloc(messageSize, 0x5a);
  const count = Math.ceil(total / messageSize);
  let received = 0;
  let sent = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => {
    done = r;
  });
  let pair!: LoopbackPair;
  const fill = (): void => {
    const a = pair.a.association;
    while (sent < count && a.bufferedAmount(0) < HIGH_WATER) {
      a.sendMessage(0, 53, message, now());
      sent++;
    }
  };
  pair = await via(
    { remoteMaxMessageSize: 0 },
    { onBufferedAmountDecrease: () => fill() },
    {
      onMessage: (_s, _p, data) => {
        received += data.length;
        if (received >= count * messageSize) done();
      },
    },
  );
  await pair.established;
  const start = now();
  fill();
  await finished;
  const seconds = (now() - start) / 1000;
  const retransmissions = pair.a.association.stats.retransmissions;
  pair.close();
  return { mibps: total / MIB / seconds, transport: pair.transport, retransmissions };
}

function lossy(): void {
  // 8 MiB in 16 KiB messages over a 20 ms path with 5% loss each way.
  const messages = 512;
  for (const seed of [1, 2, 3]) {
    const { net, a, b } = connectedPair(
      { delay: 20, loss: 0.05, seed },
      { remoteMaxMessageSize: 0 },
    );
    const start = net.now;
    for (let i = 0; i < messages; i++) a.assoc.sendMessage(0, 53, Buffer.alloc(16384, i), net.now);
    const cpu = performance.now();
    net.run({ until: () => b.received.length === messages, timeout: 3_600_000 });
    const s = a.assoc.stats;
    console.log(
      `  seed ${seed}: delivered ${(messages * 16384) / MIB} MiB in ${((net.now - start) / 1000).toFixed(2)} s simulated` +
        ` (${((messages * 16384) / MIB / ((net.now - start) / 1000)).toFixed(2)} MiB/s),` +
        ` ${s.dataChunksSent} DATA chunks, ${s.retransmissions} retransmitted, ${s.fastRetransmits} fast-retransmit events,` +
        ` ${s.t3Expirations} T3 timeouts; ${(performance.now() - cpu).toFixed(0)} ms of CPU`,
    );
  }
}

console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}`);
console.log(
  `SCTP packets of ${DEFAULT_MTU} bytes; ${total / MIB} MiB one way, one ordered reliable stream, high water ${HIGH_WATER / MIB} MiB`,
);
for (const via of [overDtls, overUdp]) {
  for (const size of [16384, 65536]) {
    const runs: number[] = [];
    let transport = '';
    let retransmissions = 0;
    for (let i = 0; i < 3; i++) {
      const r = await loopback(via, size);
      runs.push(r.mibps);
      transport = r.transport;
      retransmissions += r.retransmissions;
    }
    runs.sort((x, y) => x - y);
    console.log(
      `${transport === 'dtls' ? `DTLS 1.2 (${cipherSuiteParameters(defaultCipherSuites[0]!)!.name}) over UDP loopback` : 'bare UDP loopback (no DTLS)'}, ${size / 1024} KiB messages: ` +
        `${runs[1]!.toFixed(1)} MiB/s median of 3 (${runs.map((r) => r.toFixed(1)).join(', ')}), ${retransmissions} retransmissions`,
    );
  }
}
console.log('Simulated network, 20 ms one way, 5% loss each way:');
lossy();
