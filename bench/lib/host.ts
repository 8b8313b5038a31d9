/**
 * A child process of the benchmark runner: it loads stacks and runs workload roles on the
 * runner's orders, over its IPC channel.
 *
 *   runner → host  { op: 'load', id, stack }     loads a stack, answers with its version
 *                  { op: 'run', id, workload, role, stacks, session, params }
 *                  { op: 'signal', message }    a signaling message from the other peer
 *                  { op: 'exit' }
 *   host → runner  { op: 'result', id, figures | version } | { op: 'failed', id, error }
 *                  { op: 'signal', message }    to the other peer
 *
 * Role 'both' runs the offerer and the answerer in this process over an in-memory pipe;
 * 'offerer' and 'answerer' run one side, the other being in another host.
 */

import { workloads } from '../workloads/index.js';
import { Signal, type SignalMessage, signalPair } from './signal.js';
import { loadStack, type Stack, type StackName } from './stacks.js';
import type { Figures, Params } from './workload.js';

export type Role = 'both' | 'offerer' | 'answerer';

export interface RunOrder {
  op: 'run';
  id: number;
  workload: string;
  role: Role;
  /** The offerer's and the answerer's stack ('none' for a stackless workload). */
  stacks: [StackName | 'none', StackName | 'none'];
  session: string;
  params: Params;
}

type Order =
  | RunOrder
  | { op: 'load'; id: number; stack: StackName }
  | { op: 'signal'; message: SignalMessage }
  | { op: 'exit' };

const loaded = new Map<StackName, Promise<Stack>>();
function load(name: StackName): Promise<Stack> {
  let stack = loaded.get(name);
  if (!stack) {
    stack = loadStack(name);
    loaded.set(name, stack);
  }
  return stack;
}

/** A stand-in for stackless workloads: it never makes a connection. */
const none: Stack = {
  name: 'purertc',
  version: '',
  create: () => {
    throw new Error('this workload uses no stack');
  },
  shutdown: async () => {},
};
const stackOf = (name: StackName | 'none') =>
  name === 'none' ? Promise.resolve(none) : load(name);

const send = (message: unknown) => process.send!(message);
const remote = new Signal((message) => send({ op: 'signal', message }));

async function run(order: RunOrder): Promise<Figures> {
  const workload = workloads[order.workload];
  if (!workload) throw new Error(`no workload ${order.workload}`);
  if (workload.kind === 'solo')
    return workload.run(load, order.stacks[0] as StackName, order.params);
  const [offererStack, answererStack] = await Promise.all(order.stacks.map(stackOf));
  const { session, params } = order;
  if (order.role === 'both') {
    const [a, b] = signalPair();
    const [figures] = await Promise.all([
      workload.offerer({ stack: offererStack!, signal: a, session }, params),
      workload.answerer({ stack: answererStack!, signal: b, session }, params),
    ]);
    return figures;
  }
  if (order.role === 'offerer')
    return workload.offerer({ stack: offererStack!, signal: remote, session }, params);
  await workload.answerer({ stack: answererStack!, signal: remote, session }, params);
  return {};
}

process.on('message', (order: Order) => {
  switch (order.op) {
    case 'signal':
      remote.deliver(order.message);
      return;
    case 'load':
      load(order.stack).then(
        (stack) => send({ op: 'result', id: order.id, version: stack.version }),
        (e: Error) => send({ op: 'failed', id: order.id, error: e.message }),
      );
      return;
    case 'run':
      run(order).then(
        (figures) => send({ op: 'result', id: order.id, figures }),
        (e: Error) => send({ op: 'failed', id: order.id, error: e.stack ?? String(e) }),
      );
      return;
    case 'exit':
      Promise.all(
        [...loaded.values()].map((p) =>
          p.then(
            (s) => s.shutdown(),
            () => {},
          ),
        ),
      ).finally(() => process.exit(0));
  }
});
