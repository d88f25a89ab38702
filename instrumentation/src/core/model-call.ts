import { hrTimeOf, nowMs } from './clock.js';
import { SpanKind, SpanStatusCode, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_KAIZEN_STREAM_ABANDONED,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from '../semconv.js';
import { contentAttributes } from './call-content.js';
import { canDefer, defer } from './deferred.js';
import { enqueueEmit, type Emittable } from './emit-queue.js';
import type { CallHost, ModelRequest, ModelResult, Usage } from './model-call.types.js';
import { field } from './read.js';
import { MODEL_CALL_KEY, scopeAttributes } from './scope.js';

export type { CallHost, ModelRequest, ModelResult, Usage } from './model-call.types.js';

/** What a stream reader gives when its call ends. */
export interface StreamResult {
  result(): ModelResult;
}

/**
 * One model call, ended exactly once whatever happens: success, failure, a stream consumed,
 * abandoned, or collected. Its span is made after the call (enqueueEmit), with the call's own
 * start and end times and its parent context as it was when the call started, so span creation
 * and attribute work stay off the application's call; the SDK method runs meanwhile in a context
 * that suppresses nested instrumentation (no child spans of the call exist to need it).
 */
export class ModelCall implements Emittable {
  /** The context the SDK method runs in: nested instrumentation suppressed, a nested call passes through. */
  public readonly context: Context;
  private readonly started = nowMs();
  private firstChunk: number | undefined;
  private lastActivity: number;
  private endedAt = 0;
  private ended = false;
  private error: unknown;
  private abandoned = false;
  private readonly result: ModelResult = {};
  private collect: StreamResult | undefined;
  /** A response read when the span is made (a response object the SDK has finished with). */
  private late: (() => ModelResult) | undefined;
  /** The settings as they were when the call started. */
  private readonly capture: boolean;
  private readonly maxContentLength: number;
  private readonly tracer: Tracer;

  public constructor(
    private readonly host: CallHost,
    private readonly request: ModelRequest,
    private readonly parent: Context,
  ) {
    this.context = callContext(parent);
    this.lastActivity = this.started;
    this.capture = host.captureContent;
    this.maxContentLength = host.maxContentLength;
    this.tracer = host.tracer;
  }

  /** A streamed chunk arrived (the first one sets the time to first chunk). */
  public chunk(): void {
    const now = nowMs();
    this.firstChunk ??= now;
    this.lastActivity = now;
  }

  /** Adds what a response told (later values win; usage fields merge). */
  public merge(part: ModelResult): void {
    const r = this.result;
    if (part.responseId !== undefined) r.responseId = part.responseId;
    if (part.responseModel !== undefined) r.responseModel = part.responseModel;
    if (part.finishReasons !== undefined) r.finishReasons = part.finishReasons;
    if (part.output !== undefined) r.output = part.output;
    if (part.conversationId !== undefined) r.conversationId = part.conversationId;
    if (part.error !== undefined) r.error = part.error;
    if (part.usage !== undefined) r.usage = { ...r.usage, ...definedOnly(part.usage) };
  }

  /**
   * Reads what a stream accumulated when the call ends, however it ends. (An object rather than a
   * closure: a closure made beside one that holds the stream would keep the stream alive through
   * this call, which the garbage-collection watch holds, and an unread stream would never end.)
   */
  public collectFrom(reader: StreamResult): void {
    this.collect = reader;
  }

  public get isEnded(): boolean {
    return this.ended;
  }

  /**
   * The call succeeded. `result` may be a function that reads the response when the span is made
   * (off the call's path): for response objects the SDK has handed over and no longer changes.
   */
  public succeed(result?: ModelResult | (() => ModelResult)): void {
    if (this.ended) return;
    this.finish(undefined, false, nowMs(), result);
  }

  public fail(error: unknown): void {
    if (this.ended) return;
    this.finish(error ?? 'error', false, nowMs());
  }

  /** The consumer stopped reading the stream early, or dropped it unread (then at its last activity). */
  public abandon(collected = false): void {
    if (this.ended) return;
    this.finish(undefined, true, collected ? this.lastActivity : nowMs());
  }

  private finish(
    error: unknown,
    abandoned: boolean,
    endedAt: number,
    result?: ModelResult | (() => ModelResult),
  ): void {
    this.ended = true;
    this.endedAt = endedAt;
    this.error = error;
    this.abandoned = abandoned;
    try {
      // What a stream accumulated, then what the final response says (it wins).
      if (this.collect !== undefined) this.merge(this.collect.result());
      this.collect = undefined;
      if (typeof result === 'function') this.late = result;
      else if (result !== undefined) this.merge(result);
    } catch (err) {
      this.host.diag.error('could not read the end of a model call', err);
    }
    enqueueEmit(this);
  }

  /** Makes the call's span (start and end times as they were), then its metrics. */
  public emit(): void {
    const { request, host } = this;
    try {
      if (this.late !== undefined) {
        try {
          this.merge(this.late());
        } finally {
          this.late = undefined;
        }
      }
      const attributes = this.attributes();
      const name = request.model === '' ? request.operation : `${request.operation} ${request.model}`;
      const span = this.tracer.startSpan(
        name,
        { kind: SpanKind.CLIENT, attributes, startTime: hrTimeOf(this.started) },
        this.parent,
      );
      try {
        if (span.isRecording()) this.decorate(span, attributes);
      } finally {
        span.end(hrTimeOf(this.endedAt));
      }
      const usage = this.result.usage;
      host.metrics?.record(attributes, (this.endedAt - this.started) / 1000, usage?.input, usage?.output);
    } catch (err) {
      host.diag.error('could not record a model call', err);
    }
  }

  private attributes(): Attributes {
    const { request } = this;
    const a: Attributes = { ...request.attributes };
    a[ATTR_GEN_AI_OPERATION_NAME] = request.operation;
    a[ATTR_GEN_AI_PROVIDER_NAME] = request.provider;
    if (request.model !== '') a[ATTR_GEN_AI_REQUEST_MODEL] = request.model;
    if (request.server !== undefined) {
      a[ATTR_SERVER_ADDRESS] = request.server.address;
      a[ATTR_SERVER_PORT] = request.server.port;
    }
    if (request.stream) a[ATTR_GEN_AI_REQUEST_STREAM] = true;
    const scope = scopeAttributes(this.parent);
    if (scope !== undefined) Object.assign(a, scope);
    const r = this.result;
    if (r.responseId !== undefined) a[ATTR_GEN_AI_RESPONSE_ID] = r.responseId;
    if (r.responseModel !== undefined) a[ATTR_GEN_AI_RESPONSE_MODEL] = r.responseModel;
    if (r.finishReasons !== undefined && r.finishReasons.length > 0) {
      a[ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = r.finishReasons;
    }
    if (r.conversationId !== undefined) a[ATTR_GEN_AI_CONVERSATION_ID] = r.conversationId;
    const u = r.usage;
    if (u !== undefined) {
      if (u.input !== undefined) a[ATTR_GEN_AI_USAGE_INPUT_TOKENS] = u.input;
      if (u.output !== undefined) a[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS] = u.output;
      if (u.cacheRead !== undefined) a[ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] = u.cacheRead;
      if (u.cacheCreation !== undefined) a[ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS] = u.cacheCreation;
      if (u.reasoning !== undefined) a[ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS] = u.reasoning;
    }
    if (this.firstChunk !== undefined) {
      a[ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK] = (this.firstChunk - this.started) / 1000;
    }
    if (this.abandoned) a[ATTR_KAIZEN_STREAM_ABANDONED] = true;
    const error = this.error;
    if (error !== undefined) {
      a[ATTR_ERROR_TYPE] = errorType(error);
      const status = field(error, 'status');
      if (typeof status === 'number') a[ATTR_HTTP_RESPONSE_STATUS_CODE] = status;
    } else if (r.error !== undefined) a[ATTR_ERROR_TYPE] = r.error.type;
    return a;
  }

  /** Status, exception, and the fingerprints and content: at export when the span's processor defers them, else now. */
  private decorate(span: Span, attributes: Attributes): void {
    const error = this.error;
    if (error !== undefined) {
      span.recordException(error instanceof Error ? error : errorMessage(error), hrTimeOf(this.endedAt));
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
    } else if (this.result.error !== undefined) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: this.result.error.message });
    }
    const { request, capture, maxContentLength: maxLength } = this;
    const output = this.result.output;
    const content = request.content();
    const finalize = () => contentAttributes(request, content, attributes, output, capture, maxLength);
    if (canDefer(span)) defer(span, finalize);
    else span.setAttributes(finalize());
  }
}

/** The context SDK methods run in, per parent context (usually few distinct ones): built once each. */
const callContexts = new WeakMap<Context, Context>();

function callContext(parent: Context): Context {
  let ctx = callContexts.get(parent);
  if (ctx === undefined) {
    ctx = suppressTracing(parent).setValue(MODEL_CALL_KEY, true);
    callContexts.set(parent, ctx);
  }
  return ctx;
}

function definedOnly(usage: Usage): Usage {
  const out: Usage = {};
  for (const [key, value] of Object.entries(usage) as [keyof Usage, number | undefined][]) {
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** A low-cardinality error type: the error's class name (RateLimitError, InternalServerError …). */
export function errorType(error: unknown): string {
  if (error instanceof Error) {
    const ctor = error.constructor?.name;
    if (ctor && ctor !== 'Object') return ctor;
    return error.name || '_OTHER';
  }
  return '_OTHER';
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'error';
}
