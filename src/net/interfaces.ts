/**
 * The local IP addresses a WebRTC agent binds to, chosen as RFC 8445 §5.1.1.1 says:
 * no IPv6 link-local, site-local, IPv4-compatible or IPv4-mapped addresses; no
 * deprecated IPv6 addresses; where an interface has a temporary (privacy, RFC 8981)
 * address on a prefix, not the stable address of that prefix; loopback only when asked
 * for or when nothing else is up.
 */
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { type IpFamily, parseIp } from './address.js';

export interface HostAddress {
  address: string;
  family: IpFamily;
  /** The interface name (eth0, wlan0, lo...). */
  interfaceName: string;
  /** Position of the interface in the system's list, for local preferences. */
  interfaceIndex: number;
  loopback: boolean;
}

export interface HostAddressOptions {
  /** true: include loopback addresses; false: never; 'auto' (default): only when nothing else is up. */
  loopback?: boolean | 'auto';
  /** IPv6 address flags; by default read from /proc/net/if_inet6 where it exists. */
  ipv6Flags?: ReadonlyMap<string, number>;
  /** Interfaces to enumerate; by default os.networkInterfaces(). */
  interfaces?: ReturnType<typeof networkInterfaces>;
}

// Linux IFA_F_* flags as /proc/net/if_inet6 lists them.
const IFA_F_TEMPORARY = 0x01;
const IFA_F_DADFAILED = 0x08;
const IFA_F_DEPRECATED = 0x20;
const IFA_F_TENTATIVE = 0x40;

/**
 * The system's own enumeration, kept for a second: a server setting up connections in
 * bursts would otherwise list interfaces and read /proc for each (about 0.5 ms), while
 * addresses seldom change and an agent gathering a second late sees the change anyway.
 */
const ENUMERATION_LIFETIME_MS = 1000;
const enumerations = new Map<
  HostAddressOptions['loopback'],
  { at: number; found: HostAddress[] }
>();

export function hostAddresses(options: HostAddressOptions = {}): HostAddress[] {
  if (options.interfaces !== undefined || options.ipv6Flags !== undefined)
    return enumerate(options);
  const at = performance.now();
  let cached = enumerations.get(options.loopback);
  if (cached === undefined || at - cached.at >= ENUMERATION_LIFETIME_MS) {
    cached = { at, found: enumerate(options) };
    enumerations.set(options.loopback, cached);
  }
  return cached.found.map((a) => ({ ...a }));
}

function enumerate(options: HostAddressOptions): HostAddress[] {
  const interfaces = options.interfaces ?? networkInterfaces();
  const flags = options.ipv6Flags ?? linuxIpv6Flags();
  const found: (HostAddress & { prefix: string; temporary: boolean })[] = [];
  let interfaceIndex = 0;
  for (const [interfaceName, infos] of Object.entries(interfaces)) {
    for (const info of infos ?? []) {
      const bytes = parseIp(info.address);
      if (!bytes) continue;
      const family: IpFamily = bytes.length === 4 ? 4 : 6;
      const flag = family === 6 ? (flags.get(bytes.toString('hex')) ?? 0) : 0;
      if (family === 6 && !usableIpv6(bytes, flag)) continue;
      const prefixLength = Number(info.cidr?.split('/')[1] ?? (family === 4 ? 32 : 128));
      found.push({
        address: info.address,
        family,
        interfaceName,
        interfaceIndex,
        loopback: info.internal,
        prefix: `${interfaceName}/${prefixOf(bytes, prefixLength)}`,
        temporary: (flag & IFA_F_TEMPORARY) !== 0,
      });
    }
    interfaceIndex++;
  }
  const temporaryPrefixes = new Set(found.filter((a) => a.temporary).map((a) => a.prefix));
  const usable = found.filter(
    (a) => a.family === 4 || a.temporary || !temporaryPrefixes.has(a.prefix),
  );
  const loopback = options.loopback ?? 'auto';
  const external = usable.filter((a) => !a.loopback);
  const chosen =
    loopback === true
      ? usable
      : loopback === false || external.length > 0
        ? external
        : usable.filter((a) => a.loopback);
  return chosen.map(({ address, family, interfaceName, interfaceIndex, loopback }) => ({
    address,
    family,
    interfaceName,
    interfaceIndex,
    loopback,
  }));
}

function usableIpv6(bytes: Buffer, flags: number): boolean {
  if (flags & (IFA_F_DEPRECATED | IFA_F_TENTATIVE | IFA_F_DADFAILED)) return false;
  if (bytes[0] === 0xfe && (bytes[1]! & 0xc0) === 0x80) return false; // fe80::/10 link-local
  if (bytes[0] === 0xfe && (bytes[1]! & 0xc0) === 0xc0) return false; // fec0::/10 site-local
  const firstTen = bytes.subarray(0, 10).every((b) => b === 0);
  if (firstTen && bytes[10] === 0xff && bytes[11] === 0xff) return false; // IPv4-mapped
  // IPv4-compatible ::a.b.c.d (deprecated), but not :: or ::1
  if (firstTen && bytes[10] === 0 && bytes[11] === 0 && bytes.readUInt32BE(12) > 1) return false;
  return true;
}

function prefixOf(bytes: Buffer, length: number): string {
  const out = Buffer.from(bytes);
  for (let bit = length; bit < out.length * 8; bit++)
    out[bit >> 3] = out[bit >> 3]! & ~(0x80 >> (bit & 7));
  return out.toString('hex');
}

/** IPv6 address (32 hex digits) to IFA_F_* flags, from /proc/net/if_inet6 on Linux. */
function linuxIpv6Flags(): Map<string, number> {
  const flags = new Map<string, number>();
  let text: string;
  try {
    text = readFileSync('/proc/net/if_inet6', 'latin1');
  } catch {
    return flags; // not Linux, or no IPv6
  }
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length >= 6) flags.set(fields[0]!, Number.parseInt(fields[4]!, 16));
  }
  return flags;
}
