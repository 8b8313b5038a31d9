/**
 * coturn (Debian `turnserver`) for tests: started on loopback with random ports and
 * command-line flags only, a self-signed certificate made with openssl for its TLS port,
 * long-term credentials, loopback peers allowed. startCoturn() resolves once the server
 * answers; the process is killed when the test ends (t.after), when the test process
 * exits, or at once if starting fails. Shared with the RTCPeerConnection tests.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { Method, StunWriter } from '../../src/stun/index.js';
import type { TurnServer } from '../../src/turn/turn-socket.js';
import { needsPeer, peerPath } from '../support/peers.js';

/** Test options for a test that needs coturn (and openssl for its certificate). */
export function needsCoturn(): { skip?: string } {
  const turn = needsPeer('turnserver', 'coturn');
  return turn.skip ? turn : needsPeer('openssl', 'openssl');
}

export interface CoturnOptions {
  username?: string;
  password?: string;
  realm?: string;
  /** More turnserver flags (--stale-nonce=1, --alternate-server ..., -v). */
  args?: string[];
  /** Run in this network namespace (ip netns exec), listening and relaying on `ip`. */
  netns?: string;
  /** The address to listen and relay on (127.0.0.1). */
  ip?: string;
}

export interface Coturn {
  readonly host: string;
  /** UDP and TCP listening port. */
  readonly port: number;
  /** TLS listening port. */
  readonly tlsPort: number;
  /** Relay ports are taken from [minPort, maxPort]. */
  readonly minPort: number;
  readonly maxPort: number;
  readonly username: string;
  readonly password: string;
  readonly realm: string;
  /** The server certificate (PEM), to trust as a CA. */
  readonly certificate: string;
  /** An RTCIceServer-style entry for this server. */
  server(
    transport: 'udp' | 'tcp' | 'tls',
    credentials?: { username: string; credential: string },
  ): TurnServer;
  /** What coturn printed (the last 256 KiB). */
  log(): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

let certificate: { dir: string; cert: string; key: string } | undefined;

/** One self-signed P-256 certificate for 127.0.0.1 and localhost per test process. */
function makeCertificate(): { cert: string; key: string } {
  if (certificate) return certificate;
  const dir = mkdtempSync(join(tmpdir(), 'purertc-coturn-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    peerPath('openssl', 'openssl'),
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  certificate = { dir, cert, key };
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return certificate;
}

function randomPort(): number {
  return 20_000 + Math.floor(Math.random() * 20_000);
}

export async function startCoturn(t: TestContext, options: CoturnOptions = {}): Promise<Coturn> {
  const binary = peerPath('turnserver', 'coturn');
  const { cert, key } = makeCertificate();
  const username = options.username ?? 'user';
  const password = options.password ?? 'secret';
  const realm = options.realm ?? 'purertc.test';
  for (let attempt = 0; ; attempt++) {
    const port = randomPort();
    const minPort = 40_000 + Math.floor(Math.random() * 2000) * 10;
    const coturn = await launch(binary, {
      port,
      tlsPort: port + 1,
      minPort,
      maxPort: minPort + 9,
      username,
      password,
      realm,
      cert,
      key,
      args: options.args ?? [],
      netns: options.netns,
      ip: options.ip ?? '127.0.0.1',
    });
    if (coturn) {
      t.after(() => coturn.stop());
      return coturn;
    }
    if (attempt === 4) throw new Error('coturn did not start (ports taken?)');
  }
}

interface LaunchOptions {
  port: number;
  tlsPort: number;
  minPort: number;
  maxPort: number;
  username: string;
  password: string;
  realm: string;
  cert: string;
  key: string;
  args: string[];
  netns: string | undefined;
  ip: string;
}

async function launch(binary: string, o: LaunchOptions): Promise<Coturn | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'purertc-coturn-run-'));
  const command = o.netns ? ['ip', 'netns', 'exec', o.netns, binary] : [binary];
  const child = spawn(
    command[0]!,
    [
      ...command.slice(1),
      '-n', // no configuration file
      '--listening-ip',
      o.ip,
      '--relay-ip',
      o.ip,
      '--listening-port',
      String(o.port),
      '--tls-listening-port',
      String(o.tlsPort),
      '--min-port',
      String(o.minPort),
      '--max-port',
      String(o.maxPort),
      '--lt-cred-mech',
      '--user',
      `${o.username}:${o.password}`,
      '--realm',
      o.realm,
      '--cert',
      o.cert,
      '--pkey',
      o.key,
      '--allow-loopback-peers',
      '--no-cli',
      '--no-dtls',
      '--no-rfc5780',
      '--relay-threads',
      '1',
      '--pidfile',
      join(dir, 'turnserver.pid'),
      '--log-file',
      'stdout',
      '--simple-log',
      ...o.args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.add(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-256 * 1024);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 1000);
      await exited;
      clearTimeout(timer);
    }
    running.delete(child);
    rmSync(dir, { recursive: true, force: true });
  };
  const ready = o.netns
    ? () => answersIn(o.netns!, o.ip, o.port, 5000)
    : async () =>
        (await answers(o.port, 5000)) && (await listens(o.port)) && (await listens(o.tlsPort));
  if (!(await Promise.race([ready(), exited.then(() => false)]))) {
    await stop();
    if (/[Cc]annot bind|Address already in use/.test(output)) return undefined;
    throw new Error(`coturn did not start:\n${output}`);
  }
  return {
    host: o.ip,
    port: o.port,
    tlsPort: o.tlsPort,
    minPort: o.minPort,
    maxPort: o.maxPort,
    username: o.username,
    password: o.password,
    realm: o.realm,
    certificate: readFileSync(o.cert, 'utf8'),
    server(transport, credentials) {
      const secure = transport === 'tls';
      const port = secure ? o.tlsPort : o.port;
      return {
        url: `${secure ? 'turns' : 'turn'}:${o.ip}:${port}?transport=${secure ? 'tcp' : transport}`,
        host: o.ip,
        port,
        transport: secure ? 'tcp' : transport,
        secure,
        username: credentials?.username ?? o.username,
        credential: credentials?.credential ?? o.password,
      };
    },
    log: () => output,
    stop,
  };
}

/** Whether a STUN Binding request to the UDP port is answered within `timeout` ms. */
function answers(port: number, timeout: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const request = new StunWriter(Method.Binding, 'request').finish();
    const started = Date.now();
    const poll = setInterval(() => {
      if (Date.now() - started > timeout) return done(false);
      socket.send(request, port, '127.0.0.1');
    }, 50);
    const done = (ok: boolean) => {
      clearInterval(poll);
      socket.close();
      resolve(ok);
    };
    socket.on('message', () => done(true));
    socket.on('error', () => {}); // ECONNREFUSED until it listens
    socket.bind(0, '127.0.0.1');
  });
}

/** answers() from inside a network namespace, by a node process run there. */
function answersIn(netns: string, ip: string, port: number, timeout: number): Promise<boolean> {
  const probe = `
    const socket = require('node:dgram').createSocket('udp4');
    const request = Buffer.alloc(20);
    request.writeUInt16BE(0x0001, 0);
    request.writeUInt32BE(0x2112a442, 4);
    require('node:crypto').randomFillSync(request, 8);
    socket.on('message', () => process.exit(0));
    socket.on('error', () => {});
    setInterval(() => socket.send(request, ${port}, '${ip}'), 50);
    setTimeout(() => process.exit(1), ${timeout});
  `;
  return new Promise((resolve) => {
    const child = spawn('ip', ['netns', 'exec', netns, process.execPath, '-e', probe], {
      stdio: 'ignore',
    });
    child.on('exit', (code) => resolve(code === 0));
    child.on('error', () => resolve(false));
  });
}

function listens(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
