/**
 * mDNS for ICE: resolving a name announced by a responder we did not write (a plain
 * multicast-dns instance playing the browser), answering for our own names, timeouts,
 * malformed answers, and the shared socket closing with its last user.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { acquireMdns } from '../../src/net/mdns.js';

interface Responder {
  on(
    event: string,
    listener: (packet: {
      questions?: { name: string; type: string }[];
      answers?: { name: string; data: unknown }[];
    }) => void,
  ): void;
  respond(packet: object): void;
  query(packet: object): void;
  destroy(): void;
}
const multicastDns = createRequire(import.meta.url)('multicast-dns') as () => Responder;

/** A responder that answers for `names` (lower-case name to address), optionally with junk first. */
function responder(names: Record<string, string>, junk = false): Responder {
  const mdns = multicastDns();
  mdns.on('query', (query) => {
    for (const q of query.questions ?? []) {
      const address = names[q.name.toLowerCase()]; // DNS names are case-insensitive
      if (address === undefined) continue;
      const type = address.includes(':') ? 'AAAA' : 'A';
      if (q.type !== type) continue;
      if (junk)
        mdns.respond({
          answers: [
            { name: q.name, type: 'TXT', data: ['x'] },
            { name: q.name.toUpperCase(), type: 'CNAME', data: 'other.local' },
          ],
        });
      mdns.respond({ answers: [{ name: q.name, type, ttl: 120, data: address }] });
    }
  });
  return mdns;
}

test('a name announced by a responder resolves, past junk on the wire; case does not matter', async (t) => {
  const name = `${crypto.randomUUID()}.local`;
  const other = responder({ [name]: '192.0.2.77' }, true);
  t.after(() => other.destroy());
  const mdns = acquireMdns();
  t.after(() => mdns.release());
  // Bytes that are not DNS at all, to the mDNS group.
  const raw = createSocket('udp4');
  t.after(() => raw.close());
  for (const bytes of [Buffer.alloc(3), Buffer.from('0000000000000000ffff', 'hex')])
    raw.send(bytes, 5353, '224.0.0.251');
  assert.equal(await mdns.resolve(name, 2000), '192.0.2.77');
  assert.equal(await mdns.resolve(name.toUpperCase(), 2000), '192.0.2.77');
});

test('IPv6 answers come back in canonical form', async (t) => {
  const name = `${crypto.randomUUID()}.local`;
  const other = responder({ [name]: '2001:DB8:0:0::5' });
  t.after(() => other.destroy());
  const mdns = acquireMdns();
  t.after(() => mdns.release());
  assert.equal(await mdns.resolve(name, 2000), '2001:db8::5');
});

test('a name nobody answers for gives undefined after the timeout', async (t) => {
  const mdns = acquireMdns();
  t.after(() => mdns.release());
  const start = Date.now();
  assert.equal(await mdns.resolve(`${crypto.randomUUID()}.local`, 300), undefined);
  assert.ok(Date.now() - start >= 290);
});

test('our registered names are answered; release stops the answers and pending resolutions', async (t) => {
  const name = `${crypto.randomUUID()}.local`;
  const mdns = acquireMdns();
  mdns.register(name, '192.0.2.99');
  const querier = multicastDns();
  t.after(() => querier.destroy());
  const answers: unknown[] = [];
  querier.on('response', (r) => {
    for (const a of r.answers ?? []) if (a.name === name) answers.push(a.data);
  });
  querier.query({ questions: [{ name, type: 'A' }] });
  const end = Date.now() + 2000;
  while (answers.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(answers, ['192.0.2.99']);
  const waiting = mdns.resolve(`${crypto.randomUUID()}.local`, 10_000);
  mdns.release();
  assert.equal(await waiting, undefined);
});

test('the shared socket closes with its last user: the process exits', () => {
  const script = `
    import { acquireMdns } from './src/net/mdns.ts';
    const a = acquireMdns();
    const b = acquireMdns();
    a.register('${crypto.randomUUID()}.local', '192.0.2.1');
    const done = await b.resolve('${crypto.randomUUID()}.local', 200);
    a.release();
    b.release();
    console.log(String(done));
  `;
  const start = Date.now();
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    {
      encoding: 'utf8',
      timeout: 10_000,
    },
  );
  assert.equal(out.trim(), 'undefined');
  assert.ok(Date.now() - start < 5000);
});
