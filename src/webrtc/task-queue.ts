/**
 * "Queue a task" (HTML) for the W3C objects: one first-in first-out queue for the
 * process, like one task source.
 *
 * A browser runs each task on its own, with a microtask checkpoint after it: events
 * fired inside a task reach their listeners before the reactions of promises that
 * task resolves. Node runs microtasks after every setImmediate and every setTimeout
 * callback, so each task gets a callback of its own. Each queued task asks for both a
 * setImmediate and a setTimeout(0); whichever comes first runs the oldest task waiting.
 * A task queued before an application's setTimeout(0) thus runs before it, as in a
 * browser, whichever phase of the event loop we are in.
 *
 * Tasks are queued per signalling or state change, never per packet.
 */

const tasks: (() => void)[] = [];

function runOne(): void {
  const task = tasks.shift();
  task?.();
}

/** Queues `step` as a task. */
export function queueTask(step: () => void): void {
  tasks.push(step);
  setImmediate(runOne);
  setTimeout(runOne, 0);
}

/** Queues `step(arg)` as a task. */
export function queueTaskWith<T>(step: (arg: T) => void, arg: T): void {
  queueTask(() => step(arg));
}
