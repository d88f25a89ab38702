/**
 * Model-call spans are made after the call, off its path: a finished call is queued and its span
 * is created (with the call's own start and end times) in a setImmediate after the application's
 * continuation has run. KaizenSpanProcessor.forceFlush()/shutdown() drain the queue first.
 *
 * The queue lives on globalThis under a versioned symbol so that every copy of this package in a
 * process drains into the same flush; entries carry their own emit().
 */

export interface Emittable {
  emit(): void;
}

interface Queue {
  pending: Emittable[];
  scheduled: boolean;
}

const KEY = Symbol.for('kaizen.instrumentation.emit-queue.v1');
const holder = globalThis as { [KEY]?: Queue };
const queue: Queue = (holder[KEY] ??= { pending: [], scheduled: false });

export function enqueueEmit(call: Emittable): void {
  queue.pending.push(call);
  if (queue.scheduled) return;
  queue.scheduled = true;
  setImmediate(flushPendingCalls);
}

/** Makes the spans of every finished call now (each emit() guards itself). */
export function flushPendingCalls(): void {
  queue.scheduled = false;
  const batch = queue.pending;
  queue.pending = [];
  for (const call of batch) call.emit();
}
