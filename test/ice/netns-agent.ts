/**
 * One ICE agent in a child process, for tests that run it inside a network namespace
 * (netns.test.ts): configured by a JSON argument, driven by JSON lines on stdin (remote
 * parameters, candidates, data to send), reporting JSON lines on stdout.
 */
import { createInterface } from 'node:readline';
import { UdpIceAgent, type UdpIceAgentOptions } from '../../src/ice/udp-agent.js';

const config = JSON.parse(process.argv[2]!) as UdpIceAgentOptions;
const report = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);
const ice = new UdpIceAgent({
  ...config,
  onLocalCandidate: (candidate) => report({ type: 'candidate', candidate }),
  onGatheringStateChange: (state) => report({ type: 'gathering', state }),
  onStateChange: (state) => report({ type: 'state', state }),
  onSelectedPairChange: (pair) =>
    report({ type: 'selected', local: pair.local.candidate, remote: pair.remote }),
  onCandidateError: (error) => report({ type: 'error', error }),
  onData: (data) => report({ type: 'data', text: data.toString('latin1', 1) }),
});
report({ type: 'parameters', parameters: ice.agent.localParameters });

createInterface({ input: process.stdin }).on('line', (line) => {
  const message = JSON.parse(line);
  if (message.type === 'parameters') {
    ice.setRemoteParameters(message.parameters);
    void ice.gather();
  } else if (message.type === 'candidate') ice.addRemoteCandidate(message.candidate);
  else if (message.type === 'send')
    ice.send(Buffer.concat([Buffer.of(23), Buffer.from(message.text, 'latin1')]));
  else if (message.type === 'close') {
    ice.close();
    setTimeout(() => process.exit(0), 100);
  }
});
