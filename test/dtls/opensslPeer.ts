/**
 * OpenSSL's s_server and s_client as DTLS peers for the interop tests: certificates made
 * with `openssl req` in a temporary directory, the child's output collected for assertions,
 * and every child killed when its test ends.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CipherSuite } from '../../src/dtls/cipherSuites.js';
import { certificateFingerprint, type DtlsFingerprint } from '../../src/dtls/fingerprint.js';
import { SrtpProtectionProfile } from '../../src/dtls/srtp.js';
import { peerPath } from '../support/peers.js';

export const openssl = () => peerPath('openssl', 'openssl');

export interface OpensslCertificate {
  cert: string;
  key: string;
  fingerprints: DtlsFingerprint[];
}

/** A temporary directory with an ECDSA P-256 and an RSA 2048 certificate, and a config without EMS. */
export function opensslFiles(): {
  dir: string;
  ec: OpensslCertificate;
  rsa: OpensslCertificate;
  noEms: string;
  remove(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'purertc-dtls-'));
  const make = (name: string, keyArgs: string[]): OpensslCertificate => {
    const cert = join(dir, `${name}.pem`);
    const key = join(dir, `${name}.key`);
    execFileSync(
      openssl(),
      [
        'req',
        '-x509',
        ...keyArgs,
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '2',
        '-nodes',
        '-subj',
        `/CN=openssl-${name}`,
      ],
      { stdio: 'ignore' },
    );
    return {
      cert,
      key,
      fingerprints: [certificateFingerprint(new X509Certificate(readFileSync(cert)).raw)],
    };
  };
  const noEms = join(dir, 'no-ems.cnf');
  writeFileSync(
    noEms,
    [
      'openssl_conf = openssl_init',
      '[openssl_init]',
      'ssl_conf = ssl_sect',
      '[ssl_sect]',
      'system_default = system_default_sect',
      '[system_default_sect]',
      'Options = -ExtendedMasterSecret',
      '',
    ].join('\n'),
  );
  return {
    dir,
    ec: make('ec', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1']),
    rsa: make('rsa', ['-newkey', 'rsa:2048']),
    noEms,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Children still running, killed if the test process exits without cleaning up. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export class OpensslProcess {
  readonly child: ChildProcess;
  output = '';
  #exited: Promise<void>;
  #waiters: (() => void)[] = [];

  constructor(args: string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(openssl(), args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    const collect = (d: Buffer) => {
      this.output += d.toString('latin1');
      for (const w of this.#waiters.splice(0)) w();
    };
    this.child.stdout!.on('data', collect);
    this.child.stderr!.on('data', collect);
    this.child.stdin!.on('error', () => {}); // the child may be gone before we write
    running.add(this.child);
    this.#exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    this.child.once('exit', () => running.delete(this.child));
    this.child.once('exit', () => {
      for (const w of this.#waiters.splice(0)) w();
    });
  }

  /** Resolves with the first match of `pattern` in the output; rejects after `ms`. */
  async waitFor(pattern: RegExp, ms = 5000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = this.output.match(pattern);
      if (m) return m;
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(`openssl output never matched ${pattern}:\n${this.output}`);
      }
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  write(text: string): void {
    this.child.stdin!.write(text);
  }

  /** The keying material OpenSSL printed for -keymatexport. */
  async keyingMaterial(): Promise<Buffer> {
    const m = await this.waitFor(/Keying material: ([0-9A-F]+)/);
    return Buffer.from(m[1]!, 'hex');
  }

  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.#exited;
  }
}

/** Starts `openssl s_server -dtls1_2` on a free loopback port; resolves once it listens. */
export async function sServer(
  args: string[],
  env?: NodeJS.ProcessEnv,
): Promise<{ server: OpensslProcess; port: number }> {
  const server = new OpensslProcess(
    ['s_server', '-dtls1_2', '-accept', '127.0.0.1:0', '-naccept', '1', ...args],
    env,
  );
  try {
    const m = await server.waitFor(/ACCEPT 127\.0\.0\.1:(\d+)/);
    return { server, port: Number(m[1]) };
  } catch (e) {
    await server.kill();
    throw e;
  }
}

/** Starts `openssl s_client -dtls1_2` against a loopback port. */
export function sClient(port: number, args: string[], env?: NodeJS.ProcessEnv): OpensslProcess {
  return new OpensslProcess(
    ['s_client', '-dtls1_2', '-connect', `127.0.0.1:${port}`, ...args],
    env,
  );
}

/** The SRTP profiles with OpenSSL's names and the exporter lengths of RFC 5764 §4.2. */
export const srtpProfiles = [
  { id: SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM, openssl: 'SRTP_AEAD_AES_128_GCM', length: 56 },
  { id: SrtpProtectionProfile.SRTP_AEAD_AES_256_GCM, openssl: 'SRTP_AEAD_AES_256_GCM', length: 88 },
  {
    id: SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80,
    openssl: 'SRTP_AES128_CM_SHA1_80',
    length: 60,
  },
  {
    id: SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_32,
    openssl: 'SRTP_AES128_CM_SHA1_32',
    length: 60,
  },
];

/** The cipher suites with OpenSSL's names; `rsa`: the suite needs an RSA certificate. */
export const cipherSuites = [
  {
    id: CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    openssl: 'ECDHE-ECDSA-AES128-GCM-SHA256',
    rsa: false,
  },
  {
    id: CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    openssl: 'ECDHE-ECDSA-AES256-GCM-SHA384',
    rsa: false,
  },
  {
    id: CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    openssl: 'ECDHE-ECDSA-CHACHA20-POLY1305',
    rsa: false,
  },
  {
    id: CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    openssl: 'ECDHE-RSA-AES128-GCM-SHA256',
    rsa: true,
  },
  {
    id: CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    openssl: 'ECDHE-RSA-AES256-GCM-SHA384',
    rsa: true,
  },
  {
    id: CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    openssl: 'ECDHE-RSA-CHACHA20-POLY1305',
    rsa: true,
  },
];

/** Polls `check` every 10 ms until it holds; throws after `ms`. */
export async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
