import type { ModelCall } from './model-call.js';

export interface StreamHandler<T> {
  /** Reads a chunk (never throws into the stream: errors go to the diag logger). */
  chunk(item: T): void;
  /** A chunk the instrumentation itself caused (OpenAI's usage chunk it asked for): not passed on. */
  hide?(item: T): boolean;
}

/** Ends a call whose stream (or iterator) was garbage-collected before it was read to the end. */
const collected = new FinalizationRegistry<ModelCall>((call) => call.abandon(true));

/**
 * Watches the object a consumer holds while a stream is unread or being read (the stream, then its
 * iterator): when that object is collected before the call ended, the call ends as abandoned.
 */
export class AbandonWatch {
  private token: object | undefined;

  public constructor(private readonly call: ModelCall) {}

  public watch(target: object): void {
    if (this.call.isEnded) return;
    if (this.token !== undefined) collected.unregister(this.token);
    this.token = {};
    collected.register(target, this.call, this.token);
  }

  public release(): void {
    if (this.token !== undefined) collected.unregister(this.token);
    this.token = undefined;
  }
}

/**
 * An iterator that yields what `source` yields and tells `call` how it went: the end of the
 * stream, an error, or an early return (a consumer's `break`, or a cancelled tee/readable stream).
 * The consumer's chunks are the source's chunk objects, untouched.
 */
export interface ObserveOptions {
  /**
   * Whether an early return (or the consumer dropping the stream) ends the call as abandoned: true
   * when the stream is the response; false when the SDK reads the response anyway and ends the
   * call some other way (@google/generative-ai's `response` promise).
   */
  readonly abandonOnReturn: boolean;
}

const ENDS_ON_RETURN: ObserveOptions = { abandonOnReturn: true };

export function observeIterator<T>(
  source: AsyncIterator<T>,
  call: ModelCall,
  handler: StreamHandler<T>,
  watch: AbandonWatch,
  onInternalError: (err: unknown) => void,
  options: ObserveOptions = ENDS_ON_RETURN,
): AsyncIterableIterator<T> {
  const settle = (how: () => void) => {
    watch.release();
    try {
      how();
    } catch (err) {
      onInternalError(err);
      call.succeed();
    }
  };
  const hidden = (item: T): boolean => {
    try {
      return handler.hide?.(item) === true;
    } catch (err) {
      onInternalError(err);
      return false;
    }
  };
  const pull = (args: [] | [unknown]): Promise<IteratorResult<T>> =>
    source.next(...args).then(
      (res) => {
        if (res.done === true) {
          if (!call.isEnded) settle(() => call.succeed());
          return res;
        }
        if (!call.isEnded) {
          call.chunk();
          try {
            handler.chunk(res.value);
          } catch (err) {
            onInternalError(err);
          }
        }
        return hidden(res.value) ? pull([]) : res;
      },
      (err: unknown) => {
        settle(() => call.fail(err));
        throw err;
      },
    );
  const iterator: AsyncIterableIterator<T> = {
    next: (...args: [] | [unknown]) => pull(args),
    return: (value?: unknown) => {
      if (options.abandonOnReturn) settle(() => call.abandon());
      if (typeof source.return === 'function') return source.return(value);
      return Promise.resolve({ done: true as const, value: value as T });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  if (typeof source.throw === 'function') {
    const sourceThrow = source.throw.bind(source);
    iterator.throw = (err?: unknown) => {
      settle(() => call.fail(err));
      return sourceThrow(err);
    };
  }
  if (options.abandonOnReturn) watch.watch(iterator);
  return iterator;
}

/**
 * Observes an async generator in place, keeping its identity: its next/return/throw become own
 * properties that go through observeIterator. For SDKs that hand the application a generator.
 */
export function observeGeneratorInPlace<T>(
  generator: AsyncGenerator<T>,
  call: ModelCall,
  handler: StreamHandler<T>,
  onInternalError: (err: unknown) => void,
  options: ObserveOptions = ENDS_ON_RETURN,
): void {
  const watch = new AbandonWatch(call);
  // The generator's own methods, captured before they are replaced below.
  const method = (name: 'next' | 'return' | 'throw') => {
    const fn = Reflect.get(generator, name) as (...args: unknown[]) => Promise<IteratorResult<T>>;
    return (...args: unknown[]) => fn.apply(generator, args);
  };
  const source: AsyncIterator<T> = { next: method('next'), return: method('return'), throw: method('throw') };
  const observed = observeIterator(source, call, handler, watch, onInternalError, options);
  const own = (value: unknown) => ({ value, configurable: true, writable: true });
  Object.defineProperties(generator, {
    next: own((...args: [] | [unknown]) => observed.next(...args)),
    return: own((value?: unknown) => observed.return!(value)),
    throw: own((err?: unknown) => observed.throw!(err)),
  });
  // The generator itself is what the consumer holds while it reads.
  if (options.abandonOnReturn) watch.watch(generator);
}
