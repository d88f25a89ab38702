import { context, trace, type Attributes, type Context } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { MODEL_CALL_OPERATIONS } from '../semconv.js';
import { ModelCall, type CallHost, type ModelRequest } from './model-call.js';
import { callerContext, currentContext, MODEL_CALL_KEY } from './scope.js';

export interface PreparedCall<R> {
  readonly request: ModelRequest;
  /** Arguments to call the SDK with instead of the caller's (never the caller's objects mutated). */
  readonly args?: unknown[] | undefined;
  /** Attaches to the SDK method's result and returns it (the same object). */
  observe(result: R, call: ModelCall): R;
}

/**
 * Whether the active span already is a model call made by another instrumentation (a peer
 * instrumentation of the same SDK patched on top of ours, or a framework's own call span): then
 * this call is already described, and a second span would count its tokens twice.
 */
function peerModelCallActive(ctx: Context): boolean {
  const span = trace.getSpan(ctx);
  if (span === undefined || !span.isRecording()) return false;
  const attributes = (span as { attributes?: Attributes }).attributes;
  if (attributes === undefined) return false;
  const operation = attributes['gen_ai.operation.name'];
  if (typeof operation === 'string' && MODEL_CALL_OPERATIONS.has(operation)) return true;
  const kind = attributes['openinference.span.kind'];
  return kind === 'LLM' || kind === 'EMBEDDING' || typeof attributes['llm.request.type'] === 'string';
}

/**
 * Runs an SDK method as one model call. Never harms the application: if describing the call or
 * starting its span fails, the original runs uninstrumented; the original's result and errors
 * reach the caller untouched (observe() may only attach to them and must return the result).
 */
export function traceCall<R>(
  host: CallHost | undefined,
  thisArg: unknown,
  original: (...args: unknown[]) => R,
  args: unknown[],
  prepare: () => PreparedCall<R> | undefined,
): R {
  if (host === undefined) return original.apply(thisArg, args);
  const active = callerContext(context.active());
  if (active.getValue(MODEL_CALL_KEY) === true || isTracingSuppressed(active) || peerModelCallActive(active)) {
    return original.apply(thisArg, args);
  }
  let call: ModelCall;
  let prepared: PreparedCall<R> | undefined;
  let callArgs = args;
  try {
    prepared = prepare();
    if (prepared === undefined) return original.apply(thisArg, args);
    call = new ModelCall(host, prepared.request, currentContext(active));
    if (prepared.args !== undefined) callArgs = prepared.args;
  } catch (err) {
    host.diag.error('could not start a model-call span; calling the SDK uninstrumented', err);
    return original.apply(thisArg, args);
  }
  let result: R;
  try {
    result = context.with(call.context, () => original.apply(thisArg, callArgs));
  } catch (err) {
    call.fail(err);
    throw err;
  }
  try {
    return prepared.observe(result, call);
  } catch (err) {
    host.diag.error('could not observe a model call result', err);
    call.succeed();
    return result;
  }
}
