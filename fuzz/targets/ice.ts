/**
 * The ICE agent's handling of a datagram (src/ice handlePacket), in every phase: gathering
 * with a STUN server pending, checking, connected with consent running, either role. Inputs
 * are repaired into what a peer with the right password would send (requests signed with our
 * password, responses carrying the id of a check in flight and signed with the peer's),
 * or into answers to a gathering request, or left as they are.
 *
 * Checked on every input: the remote candidates and pairs stay within their limits, one
 * datagram makes at most a few go out, and a request that fails authentication leaves no state.
 */
import { IceAgent } from '../../src/ice/agent.js';
import type { CandidateBase } from '../../src/ice/base.js';
import type { IceParameters } from '../../src/ice/credentials.js';
import { checkRequest, checkSuccess } from '../../src/ice/messages.js';
import { decodeStunMessage, StunMessage, shortTermKey } from '../../src/stun/index.js';
import type { Random } from '../mutate.js';
import { type FuzzTarget, invariant } from '../target.js';
import { inputHash, resignStun } from './fixups.js';
import { STUN_DICTIONARY } from './stun.js';

/** The credentials of the agent under test and of its peer, in the captured seeds too. */
export const ICE_LOCAL: IceParameters = {
  usernameFragment: 'fzLU',
  password: 'fuzzpasswordlocal0000000',
};
export const ICE_REMOTE: IceParameters = {
  usernameFragment: 'fzRU',
  password: 'fuzzpasswordremote000000',
};
const LOCAL_KEY = shortTermKey(ICE_LOCAL.password);
const REMOTE_KEY = shortTermKey(ICE_REMOTE.password);
const STUN_SERVER = { url: 'stun:10.9.9.9:3478', address: '10.9.9.9', port: 3478 };
const MAX_REMOTE = 16;
const MAX_PAIRS = 32;

interface Sent {
  data: Buffer;
  address: string;
  port: number;
}

class FakeBase implements CandidateBase {
  readonly protocol = 'udp';
  readonly sent: Sent[] = [];
  count = 0;
  constructor(
    readonly address: string,
    readonly port: number,
  ) {}
  send(data: Uint8Array, address: string, port: number): void {
    this.count++;
    if (this.sent.length >= 32) this.sent.shift();
    this.sent.push({ data: Buffer.from(data), address, port });
  }
}

/** An agent brought to a phase the session's random source picks. */
function iceSession(random: Random) {
  const int = (n: number) => Math.floor(random() * n);
  let now = 1000;
  const agent = new IceAgent({
    role: random() < 0.5 ? 'controlling' : 'controlled',
    localParameters: ICE_LOCAL,
    tieBreaker: BigInt(int(2 ** 32)) << 16n,
    random,
    maxRemoteCandidates: MAX_REMOTE,
    maxPairs: MAX_PAIRS,
  });
  const bases = [new FakeBase('10.0.0.1', 5000)];
  if (random() < 0.3) bases.push(new FakeBase('fd00::1', 5000));
  const remotes = Array.from({ length: int(4) }, (_, i) => ({
    address: i === 3 ? 'fd00::2' : `10.0.0.${2 + i}`,
    port: 6000 + i,
  }));
  const sources = [
    ...remotes,
    STUN_SERVER,
    { address: '10.6.6.6', port: 0 },
    { address: 'fd00::6', port: 0 },
  ];

  const run = (ms: number, answer: boolean) => {
    const end = now + ms;
    while (now < end) {
      const at = agent.nextDeadline();
      if (at === undefined || at > end) break;
      now = Math.max(now, at);
      agent.handleTimeout(now);
      if (answer) peerAnswers();
    }
    now = end;
  };
  /** A well-behaved peer: answers the checks the agent sent and nominates as controlling. */
  const peerAnswers = () => {
    for (const base of bases)
      for (const s of base.sent.splice(0)) {
        const request = decodeStunMessage(s.data);
        if (!(request instanceof StunMessage) || request.messageClass !== 'request') continue;
        if (s.address === STUN_SERVER.address) continue;
        const to = { address: base.address, port: base.port };
        agent.handlePacket(base, checkSuccess(request, to, REMOTE_KEY), s.address, s.port, now);
        if (agent.role === 'controlled')
          agent.handlePacket(
            base,
            checkRequest({
              username: 'fzLU:fzRU',
              priority: 1,
              controlling: true,
              tieBreaker: 1n << 62n,
              useCandidate: true,
              key: LOCAL_KEY,
            }),
            s.address,
            s.port,
            now,
          );
      }
  };

  agent.gather(bases, now, random() < 0.5 ? [STUN_SERVER] : []);
  if (random() < 0.85) agent.setRemoteParameters(ICE_REMOTE, now);
  for (const [i, r] of remotes.entries())
    agent.addRemoteCandidate(
      {
        foundation: `${i}`,
        component: 1,
        protocol: 'udp',
        priority: 2130706431 - i,
        address: r.address,
        port: r.port,
        type: 'host',
      },
      now,
    );
  if (random() < 0.5) agent.endOfRemoteCandidates(now);
  run(int(3000), random() < 0.6);

  return {
    feed(input: Buffer) {
      const h = inputHash(input);
      run(h & 0xff, false);
      const base = bases[(h >>> 24) % bases.length]!;
      let source = sources[(h >>> 8) % sources.length]!;
      if (source.port === 0) source = { address: source.address, port: 1024 + (h % 60000) };
      let data = input;
      const mode = (h >>> 16) % 8;
      if (mode >= 1 && mode <= 3) data = resignStun(input, LOCAL_KEY);
      else if ((mode === 4 || mode === 5 || mode === 6) && input.length >= 20) {
        // The id of a request the agent sent, from where it went.
        const requests = base.sent.filter(
          (s) => (mode === 6) === (s.address === STUN_SERVER.address),
        );
        const request = requests[(h >>> 20) % Math.max(1, requests.length)];
        if (request) {
          data = Buffer.from(input);
          request.data.copy(data, 8, 8, 20);
          data = resignStun(data, mode === 6 ? undefined : REMOTE_KEY);
          source = { address: request.address, port: request.port };
        }
      } else if (mode === 7 && input.length > 0) {
        data = Buffer.from(input);
        data[0] = 20 + (data[0]! % 44); // DTLS: the data path
      }

      const before = { remotes: agent.remoteCandidates.length, pairs: agent.pairs.length };
      const sent = bases.reduce((n, b) => n + b.count, 0);
      agent.handlePacket(base, data, source.address, source.port, now);

      invariant(
        agent.remoteCandidates.length <= MAX_REMOTE,
        `${agent.remoteCandidates.length} remote candidates`,
      );
      invariant(agent.pairs.length <= 2 * MAX_PAIRS + 1, `${agent.pairs.length} pairs`);
      invariant(
        bases.reduce((n, b) => n + b.count, 0) - sent <= 4,
        'one datagram made more than 4 go out',
      );
      const message = decodeStunMessage(data);
      if (
        message instanceof StunMessage &&
        message.messageClass === 'request' &&
        message.checkIntegrity(LOCAL_KEY) !== 'ok'
      )
        invariant(
          agent.remoteCandidates.length === before.remotes && agent.pairs.length === before.pairs,
          'an unauthenticated request changed the remote candidates or the pairs',
        );
    },
    close() {
      agent.close();
    },
  };
}

export const iceTarget: FuzzTarget = {
  name: 'ice',
  description: 'ICE agent: STUN requests, responses and data from the network, in every phase',
  format: 'binary',
  maxLength: 1500,
  sessionLength: 64,
  dictionary: [...STUN_DICTIONARY, Buffer.from('fzLU:fzRU'), Buffer.from('fzRU:fzLU')],
  session: (_context, random) => iceSession(random),
};
