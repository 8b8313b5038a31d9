// Two ICE agents in one process, connecting over loopback UDP: each trickles its candidates
// to the other as they are gathered, then they exchange a few datagrams on the selected pair.
//
//   npm start                               one run, with the details
//   node examples/ice-demo.mjs --runs 20    time to 'connected' over 20 runs (median, p90)

import { UdpIceAgent } from '../dist/ice/index.js';
import { hostAddresses } from '../dist/net/interfaces.js';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 1;
const addresses = hostAddresses({ loopback: true })
  .filter((a) => a.loopback)
  .map((a) => a.address);

const describe = (c) =>
  `${c.type} ${c.protocol} ${c.address.includes(':') ? `[${c.address}]` : c.address}:${c.port} priority ${c.priority}`;

function timeout(ms, what) {
  return new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`timed out: ${what}`)), ms).unref(),
  );
}

/** One connection; resolves with the time from creating the agents to both being 'connected'. */
async function connectOnce(verbose) {
  const start = performance.now();
  let connectedAt = 0;
  const connected = { a: false, b: false };
  let resolveConnected;
  const bothConnected = new Promise((resolve) => (resolveConnected = resolve));
  const received = { a: [], b: [] };
  const wake = new Set();

  const agent = (name, role, peer) =>
    new UdpIceAgent({
      role,
      addresses,
      onLocalCandidate: (candidate) => {
        if (verbose) console.log(`${name} candidate: ${describe(candidate)}`);
        peer().addRemoteCandidate(candidate);
      },
      onGatheringStateChange: (state) => state === 'complete' && peer().endOfRemoteCandidates(),
      onStateChange: (state) => {
        if (verbose)
          console.log(`${name} state: ${state} (${(performance.now() - start).toFixed(1)} ms)`);
        if (state === 'connected' || state === 'completed') {
          connected[name] = true;
          if (connected.a && connected.b && !connectedAt) {
            connectedAt = performance.now() - start;
            resolveConnected();
          }
        }
      },
      onData: (data) => {
        received[name].push(Buffer.from(data));
        for (const fn of wake) fn();
      },
    });

  const a = agent('a', 'controlling', () => b);
  const b = agent('b', 'controlled', () => a);
  try {
    a.setRemoteParameters(b.agent.localParameters);
    b.setRemoteParameters(a.agent.localParameters);
    await Promise.all([a.gather(), b.gather()]);
    await Promise.race([bothConnected, timeout(10_000, "'connected'")]);

    if (verbose) {
      const pair = a.agent.selectedPair;
      console.log(
        `selected pair (a): ${describe(pair.local.candidate)}  <->  ${describe(pair.remote)}`,
      );
      console.log(`time to 'connected': ${connectedAt.toFixed(1)} ms`);
    }
    // A few round trips: a DTLS-looking datagram (first byte 23) each way.
    for (let i = 0; i < 5; i++) {
      const sentAt = performance.now();
      a.send(Buffer.from([23, i, ...Buffer.from('ping')]));
      await waitFor(() => received.b.length > i, wake);
      b.send(Buffer.from([23, i, ...Buffer.from('pong')]));
      await waitFor(() => received.a.length > i, wake);
      if (verbose)
        console.log(`round trip ${i + 1}: ${(performance.now() - sentAt).toFixed(2)} ms`);
    }
    return connectedAt;
  } finally {
    a.close();
    b.close();
  }
}

function waitFor(condition, wake) {
  if (condition()) return Promise.resolve();
  return Promise.race([
    new Promise((resolve) => {
      const check = () => {
        if (condition()) {
          wake.delete(check);
          resolve();
        }
      };
      wake.add(check);
    }),
    timeout(2000, 'data'),
  ]);
}

if (runs === 1) {
  console.log(`loopback addresses: ${addresses.join(', ')}`);
  await connectOnce(true);
  console.log('ok');
} else {
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await connectOnce(false));
  times.sort((x, y) => x - y);
  const at = (q) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
  console.log(
    `time from agent creation to 'connected' over ${runs} runs on ${addresses.join(', ')}:`,
  );
  console.log(
    `  median ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, min ${times[0].toFixed(1)} ms, max ${times.at(-1).toFixed(1)} ms`,
  );
}
