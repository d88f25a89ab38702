/**
 * Method wrapping that leaves other instrumentations' wrappers alone (shimmer's wrap, used by
 * InstrumentationBase._wrap, first unwraps any shimmer wrapper it finds — a peer's included).
 * Ours stack: when two are in place (this package loaded twice), the outer one makes the model-call
 * span and the inner one passes through (MODEL_CALL_KEY). Unwrapping restores the original only
 * while ours is still the outermost; otherwise the wrapper stays and passes through while disabled.
 */

export type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

const WRAPPED = Symbol.for('kaizen.instrumentation.wrapped');

interface WrapInfo {
  readonly original: AnyFunction;
  readonly owner: object;
}

function wrapInfo(fn: unknown): WrapInfo | undefined {
  return typeof fn === 'function' ? (fn as { [WRAPPED]?: WrapInfo })[WRAPPED] : undefined;
}

/** Whether `fn` (or a wrapper under it made by the same owner) is already ours. */
function wrappedBy(fn: unknown, owner: object): boolean {
  for (let info = wrapInfo(fn); info !== undefined; info = wrapInfo(info.original)) {
    if (info.owner === owner) return true;
  }
  return false;
}

export function markWrapped<F extends object>(wrapper: F, original: AnyFunction, owner: object): F {
  Object.defineProperty(wrapper, WRAPPED, { value: { original, owner } satisfies WrapInfo });
  return wrapper;
}

/** Replaces `target[name]` with `makeWrapper(original)`; false when there is no such function. */
export function wrapMethod(
  target: object,
  name: PropertyKey,
  owner: object,
  makeWrapper: (original: AnyFunction) => AnyFunction,
): boolean {
  const holder = target as Record<PropertyKey, unknown>;
  const current = holder[name];
  if (typeof current !== 'function') return false;
  if (wrappedBy(current, owner)) return true;
  const original = current as AnyFunction;
  const wrapper = markWrapped(makeWrapper(original), original, owner);
  Object.defineProperty(wrapper, 'name', { value: original.name, configurable: true });
  Object.defineProperty(wrapper, 'length', { value: original.length, configurable: true });
  const own = Object.getOwnPropertyDescriptor(target, name);
  Object.defineProperty(target, name, {
    value: wrapper,
    writable: own?.writable ?? true,
    enumerable: own?.enumerable ?? false,
    configurable: true,
  });
  return true;
}

export function unwrapMethod(target: object, name: PropertyKey, owner: object): void {
  const holder = target as Record<PropertyKey, unknown>;
  const info = wrapInfo(holder[name]);
  if (info === undefined || info.owner !== owner) return;
  const own = Object.getOwnPropertyDescriptor(target, name);
  Object.defineProperty(target, name, {
    value: info.original,
    writable: own?.writable ?? true,
    enumerable: own?.enumerable ?? false,
    configurable: true,
  });
}

/** Whether an object was already instrumented by `owner` (instances wrapped one by one). */
const instrumented = new WeakMap<object, Set<object>>();

export function claimInstance(instance: object, owner: object): boolean {
  let owners = instrumented.get(instance);
  if (owners === undefined) {
    owners = new Set();
    instrumented.set(instance, owners);
  }
  if (owners.has(owner)) return false;
  owners.add(owner);
  return true;
}
