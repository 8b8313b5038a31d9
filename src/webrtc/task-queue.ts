/**
 * "Queue a task" (HTML) for the W3C objects.
 *
 * A browser runs each task of the networking task source on its own, with a microtask
 * checkpoint after it: events fired inside a task reach their listeners before the
 * reactions of promises that task resolves. Node runs microtasks after every
 * setImmediate callback, so one setImmediate per task reproduces that order, and tasks
 * queued by every object (peer connection, transports, data channels) keep one global
 * first-in first-out order, as one task source would.
 *
 * Tasks are queued per signalling or state change, never per packet.
 */

/** Queues `step` as a task. */
export function queueTask(step: () => void): void {
  setImmediate(step);
}

/** Queues `step(arg)` as a task without allocating a closure. */
export function queueTaskWith<T>(step: (arg: T) => void, arg: T): void {
  setImmediate(step, arg);
}
