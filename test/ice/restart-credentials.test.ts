/**
 * After an ICE restart (RFC 8445 §9) the previous generation's credentials still answer
 * consent on that generation's pairs, but not checks from addresses it never knew: a peer
 * restarting pairs its new candidates with our previous ones before it has our answer, and
 * had such checks succeeded it could nominate a pair with the old credentials (libwebrtc
 * does) and never check our new candidates.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkRequest } from '../../src/ice/messages.js';
import { decodeStunMessage, StunMessage, shortTermKey } from '../../src/stun/index.js';
import { SimNetwork } from '../support/simnet.js';
import { completedPair } from './sim.js';

test('previous credentials: answered from the previous generation, 401 from a new address', () => {
  const net = new SimNetwork({ delay: 10 });
  const { a, b } = completedPair(net);
  const old = a.agent.localParameters;
  const pair = a.agent.selectedPair!;
  a.signal = undefined;
  b.signal = undefined;
  a.agent.restart(net.now);

  // A's answers to B's old address and to a new port of B's host, by class.
  const answers: Record<string, string[]> = { old: [], new: [] };
  net.filter = ({ from, to, data }) => {
    const message = decodeStunMessage(data);
    if (from.port === pair.local.base.port && message instanceof StunMessage)
      if (message.messageClass !== 'request')
        answers[to.port === pair.remote.port ? 'old' : 'new']!.push(message.messageClass);
    return true;
  };
  const request = checkRequest({
    username: `${old.usernameFragment}:${b.agent.localParameters.usernameFragment}`,
    priority: 1,
    controlling: false,
    tieBreaker: 1n,
    useCandidate: false,
    key: shortTermKey(old.password),
  });
  const fresh = net.bind({ address: '10.0.0.2', port: 0 }, () => {});
  fresh.send(request, { address: pair.local.base.address, port: pair.local.base.port });
  b.bases[0]!.send(request, pair.local.base.address, pair.local.base.port);
  net.advance(100);
  assert.deepEqual(answers, { old: ['success'], new: ['error'] });
  // The previous pair keeps its consent meanwhile.
  net.advance(35_000);
  assert.equal(a.agent.selectedPair, pair);
  assert.equal(a.agent.state, 'connected');
});
