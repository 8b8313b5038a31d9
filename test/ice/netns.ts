/**
 * Network namespaces for tests (Linux, root): a small internet with two private networks,
 * each behind its own NAT (nftables masquerade; inbound only replies, as home routers do),
 * and a router between them that drops UDP from one NAT to the other, so that only a TURN
 * server on the router can join them.
 *
 *   a (10.0.1.2) ── nat-a (10.0.1.1 | 203.0.113.2) ──┐
 *                                                     inet (203.0.113.1, 198.51.100.1): coturn
 *   b (10.0.2.2) ── nat-b (10.0.2.1 | 198.51.100.2) ─┘
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { needsPeer } from '../support/peers.js';

/** Test options: a skip with the reason when namespaces cannot be made here. */
export function needsNetns(): { skip?: string } {
  for (const [command, pkg] of [
    ['ip', 'iproute2'],
    ['nft', 'nftables'],
  ] as const) {
    const peer = needsPeer(command, pkg);
    if (peer.skip) return peer;
  }
  if (process.getuid?.() !== 0) return { skip: 'network namespaces need root' };
  const probe = `ptprobe${randomBytes(3).toString('hex')}`;
  try {
    ip('netns', 'add', probe);
    ip('netns', 'del', probe);
    return {};
  } catch (error) {
    return { skip: `ip netns add fails here: ${(error as Error).message.split('\n')[0]}` };
  }
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function inNs(ns: string, args: string[], input?: string): void {
  execFileSync('ip', ['netns', 'exec', ns, ...args], {
    input,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'],
  });
}

export interface Topology {
  inet: string;
  a: string;
  b: string;
  natA: string;
  natB: string;
  /** The router's address coturn listens on. */
  server: string;
  destroy(): void;
}

export function natTopology(): Topology {
  const id = randomBytes(3).toString('hex');
  const names = {
    inet: `pt${id}i`,
    natA: `pt${id}na`,
    natB: `pt${id}nb`,
    a: `pt${id}a`,
    b: `pt${id}b`,
  };
  const all = Object.values(names);
  const destroy = () => {
    for (const ns of all)
      try {
        ip('netns', 'del', ns);
      } catch {
        // already gone
      }
  };
  process.on('exit', destroy);
  try {
    for (const ns of all) {
      ip('netns', 'add', ns);
      inNs(ns, ['ip', 'link', 'set', 'lo', 'up']);
    }
    const link = (ns1: string, if1: string, ns2: string, if2: string) =>
      ip('link', 'add', if1, 'netns', ns1, 'type', 'veth', 'peer', 'name', if2, 'netns', ns2);
    link(names.inet, 'to-a', names.natA, 'wan');
    link(names.inet, 'to-b', names.natB, 'wan');
    link(names.natA, 'lan', names.a, 'eth0');
    link(names.natB, 'lan', names.b, 'eth0');
    const up = (ns: string, dev: string, address: string) => {
      inNs(ns, ['ip', 'addr', 'add', address, 'dev', dev]);
      inNs(ns, ['ip', 'link', 'set', dev, 'up']);
    };
    up(names.inet, 'to-a', '203.0.113.1/24');
    up(names.inet, 'to-b', '198.51.100.1/24');
    up(names.natA, 'wan', '203.0.113.2/24');
    up(names.natA, 'lan', '10.0.1.1/24');
    up(names.natB, 'wan', '198.51.100.2/24');
    up(names.natB, 'lan', '10.0.2.1/24');
    up(names.a, 'eth0', '10.0.1.2/24');
    up(names.b, 'eth0', '10.0.2.2/24');
    // Like any internet router, inet has a default route, where traffic for private
    // addresses vanishes (nat-a drops it). Without one, relaying to such an address fails at
    // once (ENETUNREACH), and coturn then drops the whole allocation.
    inNs(names.inet, ['ip', 'route', 'add', 'default', 'via', '203.0.113.2']);
    inNs(names.natA, ['ip', 'route', 'add', 'default', 'via', '203.0.113.1']);
    inNs(names.natB, ['ip', 'route', 'add', 'default', 'via', '198.51.100.1']);
    inNs(names.a, ['ip', 'route', 'add', 'default', 'via', '10.0.1.1']);
    inNs(names.b, ['ip', 'route', 'add', 'default', 'via', '10.0.2.1']);
    for (const ns of [names.inet, names.natA, names.natB])
      inNs(ns, ['sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
    // A home router: masquerade out, and nothing in but replies, dropped without a word
    // (no ICMP port unreachable, which coturn would take as the peer's answer).
    const masquerade = `table ip nat {
      chain postrouting { type nat hook postrouting priority srcnat; oifname "wan" masquerade; }
    }
    table inet filter {
      chain input {
        type filter hook input priority filter;
        iifname "wan" ct state established,related accept
        iifname "wan" drop
      }
      chain forward {
        type filter hook forward priority filter;
        iifname "wan" ct state established,related accept
        iifname "wan" drop
      }
    }`;
    inNs(names.natA, ['nft', '-f', '-'], masquerade);
    inNs(names.natB, ['nft', '-f', '-'], masquerade);
    // The internet between the NATs carries no UDP from one to the other.
    inNs(
      names.inet,
      ['nft', '-f', '-'],
      `table inet filter {
        chain forward {
          type filter hook forward priority filter;
          ip saddr 203.0.113.0/24 ip daddr 198.51.100.0/24 meta l4proto udp drop
          ip saddr 198.51.100.0/24 ip daddr 203.0.113.0/24 meta l4proto udp drop
        }
      }`,
    );
  } catch (error) {
    destroy();
    throw error;
  }
  return { ...names, server: '203.0.113.1', destroy };
}
