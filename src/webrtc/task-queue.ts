/**
 * "Queue a task" (HTML) for the W3C objects: one first-in first-out queue for the
 * process, like the networking task source every peer connection, transport and data
 * channel queues its tasks on. Their events thus come in the order their tasks were
 * queued, whichever object fires them.
 *
 * A browser runs each task on its own, with a microtask checkpoint after it: events
 * fired inside a task reach their listeners before the reactions of promises that
 * task resolves. Node runs microtasks after every setImmediate and every setTimeout
 * callback, so each task gets a callback of its own, which runs the oldest task waiting
 * (not necessarily the one it was asked for).
 *
 * queueTask() asks for both a setImmediate and a setTimeout(0), whichever comes first: a
 * task queued before an application's setTimeout(0) thus runs before it, as in a browser,
 * whichever phase of the event loop we are in. Tasks queued per message (message events,
 * bufferedAmount) use queueMessageTask(): a setImmediate only, and no closure, as a timer
 * per message would cost more than the message.
 */

type Step = (a: unknown, b: unknown, c: unknown) => void;

/** The tasks waiting, four slots each: the step and its three arguments. */
const queue: unknown[] = [];
let head = 0;

function runOne(): void {
  if (head === queue.length) return;
  const step = queue[head] as Step;
  const a = queue[head + 1];
  const b = queue[head + 2];
  const c = queue[head + 3];
  queue[head] = queue[head + 1] = queue[head + 2] = queue[head + 3] = undefined;
  head += 4;
  if (head === queue.length) {
    queue.length = 0;
    head = 0;
  } else if (head >= 4096 && head * 2 >= queue.length) {
    queue.splice(0, head);
    head = 0;
  }
  step(a, b, c);
}

function push(step: Step, a: unknown, b: unknown, c: unknown): void {
  queue.push(step, a, b, c);
  setImmediate(runOne);
}

/** Queues `step` as a task. */
export function queueTask(step: () => void): void {
  push(step as Step, undefined, undefined, undefined);
  setTimeout(runOne, 0);
}

/** Queues `step(a, b)` as a task. */
export function queueTaskWith<A, B>(step: (a: A, b: B) => void, a: A, b?: B): void {
  push(step as Step, a, b, undefined);
  setTimeout(runOne, 0);
}

/** Queues `step(a, b, c)` as a task in the same order as the others, without a timer. */
export function queueMessageTask<A, B, C>(
  step: (a: A, b: B, c: C) => void,
  a: A,
  b: B,
  c: C,
): void {
  push(step as Step, a, b, c);
}
