import { diag, type Attributes } from '@opentelemetry/api';

/**
 * Work taken off a model call's path. Fingerprints (a SHA-256 and a simhash: tens of µs for a few
 * KB of prompt) and the content JSON are computed when the span is exported, in the export batch,
 * instead of while the application waits for its call. Only spans that KaizenSpanProcessor saw
 * start defer (it marks them, and its exporter finalises them); any other span computes inline.
 *
 * The registry lives on globalThis under a versioned symbol, so two copies of this package in one
 * process (two versions in node_modules) share it; each entry is a closure from the copy that made it.
 */

type Finalizer = () => Attributes;

interface Shared {
  readonly pending: WeakMap<object, Finalizer>;
  readonly finalizable: WeakSet<object>;
}

const KEY = Symbol.for('kaizen.instrumentation.deferred.v1');
const holder = globalThis as { [KEY]?: Shared };
const shared: Shared = (holder[KEY] ??= { pending: new WeakMap(), finalizable: new WeakSet() });

/** Marks a span whose export will finalise its deferred attributes. */
export function markFinalizable(span: object): void {
  shared.finalizable.add(span);
}

/** Whether `span` may defer (its export finalises it). */
export function canDefer(span: object): boolean {
  return shared.finalizable.has(span);
}

export function defer(span: object, finalize: Finalizer): void {
  shared.pending.set(span, finalize);
}

/** The deferred attributes of `span` (computed now, once), or undefined when it has none. */
export function takeDeferred(span: object): Attributes | undefined {
  const finalize = shared.pending.get(span);
  if (finalize === undefined) return undefined;
  shared.pending.delete(span);
  try {
    return finalize();
  } catch (err) {
    diag.error('@kaizen/instrumentation: could not compute the deferred span attributes', err);
    return undefined;
  }
}
