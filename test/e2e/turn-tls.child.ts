/**
 * Run by turn-relay.test.ts in a process of its own, with NODE_EXTRA_CA_CERTS naming the
 * test coturn's self-signed certificate: the W3C configuration has no way to trust a CA, so
 * a turns: server is trusted the way Node trusts any TLS server. For each line on stdin it
 * runs relayRun() with the RTCConfiguration in CONFIGURATION (JSON) and answers with the
 * run (or its error) as one JSON line; when stdin ends it must exit by itself.
 */
import { createInterface } from 'node:readline';
import { relayRun } from './turn-peers.js';

const configuration = JSON.parse(process.env.CONFIGURATION!);
for await (const _ of createInterface({ input: process.stdin })) {
  const answer = await relayRun(configuration).then(
    (run) => ({ run }),
    (error: Error) => ({ error: error.message }),
  );
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
