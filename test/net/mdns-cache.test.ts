/**
 * mDNS resolution as a browser's responder wants it: a name is asked for once however many
 * wait for it, addresses seen in responses (announcements too) are cached for their TTL, a
 * goodbye (TTL 0) drops them, and the cache is bounded.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { acquireMdns } from '../../src/net/mdns.js';

interface Peer {
  on(
    event: 'query',
    listener: (packet: { questions?: { name: string; type: string }[] }) => void,
  ): void;
  respond(packet: object): void;
  destroy(): void;
}
const multicastDns = createRequire(import.meta.url)('multicast-dns') as () => Peer;

/** Another host on the link: counts the queries for `name`, answers when told to. */
function host(t: { after(fn: () => void): void }, name: string) {
  const peer = multicastDns();
  t.after(() => peer.destroy());
  let queries = 0;
  peer.on('query', (q) => {
    if (q.questions?.some((x) => x.name.toLowerCase() === name)) queries++;
  });
  return {
    queries: () => queries,
    announce(address: string, ttl = 120) {
      peer.respond({ answers: [{ name, type: 'A', ttl, flush: true, data: address }] });
    },
  };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
const uuidName = () => `${crypto.randomUUID()}.local`;

test('an announcement is cached: a later resolution answers at once, without a query', async (t) => {
  const mdns = acquireMdns();
  t.after(() => mdns.release());
  await mdns.resolve(uuidName(), 50); // opens the socket
  const name = uuidName();
  const other = host(t, name);
  other.announce('192.0.2.41');
  await settle(200);
  const started = Date.now();
  assert.equal(await mdns.resolve(name, 2000), '192.0.2.41');
  assert.ok(Date.now() - started < 50);
  await settle(100);
  assert.equal(other.queries(), 0);
});

test('two resolutions of one name send one query; both get the answer', async (t) => {
  const mdns = acquireMdns();
  t.after(() => mdns.release());
  const name = uuidName();
  const other = host(t, name);
  const a = mdns.resolve(name, 3000);
  const b = mdns.resolve(name.toUpperCase(), 3000);
  await settle(300);
  assert.equal(other.queries(), 1);
  other.announce('192.0.2.42');
  assert.deepEqual(await Promise.all([a, b]), ['192.0.2.42', '192.0.2.42']);
});

test('a goodbye (TTL 0) drops the cached address', async (t) => {
  const mdns = acquireMdns();
  t.after(() => mdns.release());
  await mdns.resolve(uuidName(), 50);
  const name = uuidName();
  const other = host(t, name);
  other.announce('192.0.2.43');
  await settle(200);
  assert.equal(await mdns.resolve(name, 100), '192.0.2.43');
  other.announce('192.0.2.43', 0);
  await settle(200);
  assert.equal(await mdns.resolve(name, 100), undefined);
});

test('the cache holds 256 names: the oldest go first', async (t) => {
  const mdns = acquireMdns();
  t.after(() => mdns.release());
  await mdns.resolve(uuidName(), 50);
  const peer = multicastDns();
  t.after(() => peer.destroy());
  const names = Array.from({ length: 300 }, uuidName);
  for (let i = 0; i < names.length; i += 50) {
    peer.respond({
      answers: names.slice(i, i + 50).map((name, j) => ({
        name,
        type: 'A',
        ttl: 120,
        data: `192.0.2.${(i + j) % 250}`,
      })),
    });
    await settle(20);
  }
  await settle(200);
  assert.equal(await mdns.resolve(names.at(-1)!, 100), `192.0.2.${299 % 250}`);
  assert.equal(await mdns.resolve(names[0]!, 100), undefined);
});
