/** The runner's handle on a host child process (host.ts): requests, and signaling relayed to a peer host. */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RunOrder } from './host.js';
import type { SignalMessage } from './signal.js';
import type { StackName } from './stacks.js';
import type { Figures } from './workload.js';

const HOST = fileURLToPath(new URL('./host.ts', import.meta.url));

interface Pending {
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
}

interface Reply {
  op: 'result' | 'failed' | 'signal';
  id?: number;
  figures?: Figures;
  version?: string;
  error?: string;
  message?: SignalMessage;
}

export class HostProcess {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #exited = false;
  /** The host that receives this one's signaling messages. */
  peer: HostProcess | undefined;

  constructor(nodeFlags: readonly string[] = []) {
    this.#child = fork(HOST, [], {
      execArgv: [...process.execArgv, ...nodeFlags],
      // The hosts' own output goes to stderr, so that --json output stays clean.
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    // Forwarded chunk by chunk: pipe() would add listeners to stderr for every host.
    const forward = (chunk: Buffer) => process.stderr.write(chunk);
    this.#child.stdout!.on('data', forward);
    this.#child.stderr!.on('data', forward);
    this.#child.on('message', (reply: Reply) => {
      if (reply.op === 'signal') {
        this.peer?.relay(reply.message!);
        return;
      }
      const pending = this.#pending.get(reply.id!);
      this.#pending.delete(reply.id!);
      pending?.resolve(reply);
    });
    this.#child.on('exit', (code, signal) => {
      this.#exited = true;
      for (const p of this.#pending.values())
        p.reject(new Error(`host exited (${signal ?? `code ${code}`})`));
      this.#pending.clear();
    });
  }

  /** A signaling message from the other peer's host. */
  relay(message: SignalMessage): void {
    if (!this.#exited) this.#child.send({ op: 'signal', message });
  }

  #request(order: Record<string, unknown>): Promise<Reply> {
    if (this.#exited) return Promise.reject(new Error('host exited'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#child.send({ ...order, id });
    });
  }

  /** Loads a stack; resolves with its version, rejects with why it does not load. */
  async load(stack: StackName): Promise<string> {
    const reply = await this.#request({ op: 'load', stack });
    if (reply.op === 'failed') throw new Error(reply.error);
    return reply.version!;
  }

  async run(order: Omit<RunOrder, 'op' | 'id'>): Promise<Figures> {
    const reply = await this.#request({ op: 'run', ...order });
    if (reply.op === 'failed') throw new Error(reply.error);
    return reply.figures!;
  }

  /** Asks the host to release its stacks and exit; kills it if it does not within a second. */
  async close(): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    this.#child.send({ op: 'exit' });
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 1000);
    await exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (!this.#exited) this.#child.kill('SIGKILL');
  }
}
