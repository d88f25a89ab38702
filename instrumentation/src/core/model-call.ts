import {
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type DiagLogger,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
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
import type { Message, Part, ToolDefinition } from './messages.js';
import type { GenAIMetrics } from './metrics.js';
import { MODEL_CALL_KEY, scopeAttributes } from './scope.js';
import { field } from './read.js';
import type { ServerInfo } from './server.js';

/** What an instrumentation learns from a request before calling the SDK. */
export interface ModelRequest {
  readonly operation: string;
  readonly provider: string;
  /** The request model as recorded (gen_ai.request.model); '' when unknown. */
  readonly model: string;
  readonly server: ServerInfo | undefined;
  readonly stream: boolean;
  /** Request parameters as span attributes (gen_ai.request.*, gen_ai.output.type …). */
  readonly attributes: Attributes;
  /** The normalised input messages: recorded as content, and fingerprinted whether or not content is. */
  readonly input: Message[];
  readonly system: Part[] | undefined;
  readonly tools: ToolDefinition[] | undefined;
}

export interface Usage {
  input?: number | undefined;
  output?: number | undefined;
  cacheRead?: number | undefined;
  cacheCreation?: number | undefined;
  reasoning?: number | undefined;
}

/** What an instrumentation learns from a response (or a stream, bit by bit). */
export interface ModelResult {
  responseId?: string | undefined;
  responseModel?: string | undefined;
  finishReasons?: string[] | undefined;
  usage?: Usage | undefined;
  output?: Message[] | undefined;
  conversationId?: string | undefined;
  /** A failure the response reported rather than threw (an OpenAI Responses stream's response.failed). */
  error?: { readonly type: string; readonly message: string } | undefined;
}

/** The instrumentation a call belongs to, read when the call starts. */
export interface CallHost {
  readonly tracer: Tracer;
  readonly captureContent: boolean;
  readonly maxContentLength: number;
  readonly metrics: GenAIMetrics | undefined;
  readonly diag: DiagLogger;
}

/**
 * One model call: its span from the request to the end of the response (or of its stream), ended
 * exactly once whatever happens — success, failure, a stream consumed, abandoned, or collected.
 */
export class ModelCall {
  public readonly span: Span;
  /** The context the SDK method runs in: this span, nested instrumentation suppressed. */
  public readonly context: Context;
  private readonly attributes: Attributes;
  private readonly started = performance.now();
  private firstChunk: number | undefined;
  private lastActivity: number;
  private ended = false;
  private readonly result: ModelResult = {};
  private collect: (() => ModelResult) | undefined;

  public constructor(
    private readonly host: CallHost,
    private readonly request: ModelRequest,
    parent: Context,
  ) {
    const attributes = request.attributes;
    attributes[ATTR_GEN_AI_OPERATION_NAME] = request.operation;
    attributes[ATTR_GEN_AI_PROVIDER_NAME] = request.provider;
    if (request.model !== '') attributes[ATTR_GEN_AI_REQUEST_MODEL] = request.model;
    if (request.server !== undefined) {
      attributes[ATTR_SERVER_ADDRESS] = request.server.address;
      attributes[ATTR_SERVER_PORT] = request.server.port;
    }
    if (request.stream) attributes[ATTR_GEN_AI_REQUEST_STREAM] = true;
    const scope = scopeAttributes(parent);
    if (scope !== undefined) Object.assign(attributes, scope);
    this.attributes = attributes;
    const name = request.model === '' ? request.operation : `${request.operation} ${request.model}`;
    this.span = host.tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, parent);
    this.context = suppressTracing(trace.setSpan(parent, this.span)).setValue(MODEL_CALL_KEY, true);
    this.lastActivity = this.started;
  }

  /** A streamed chunk arrived (the first one sets the time to first chunk). */
  public chunk(): void {
    const now = performance.now();
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

  /** Reads what a stream accumulated when the call ends, however it ends. */
  public collectWith(collect: () => ModelResult): void {
    this.collect = collect;
  }

  public get isEnded(): boolean {
    return this.ended;
  }

  public succeed(result?: ModelResult): void {
    if (this.ended) return;
    this.finish(undefined, false, undefined, result);
  }

  public fail(error: unknown): void {
    if (this.ended) return;
    this.finish(error, false, undefined);
  }

  /** The consumer stopped reading the stream early, or dropped it unread (then at its last activity). */
  public abandon(collected = false): void {
    if (this.ended) return;
    this.finish(undefined, true, collected ? performance.timeOrigin + this.lastActivity : undefined);
  }

  private finish(error: unknown, abandoned: boolean, endTime: number | undefined, result?: ModelResult): void {
    this.ended = true;
    const span = this.span;
    try {
      // What a stream accumulated, then what the final response says (it wins).
      if (this.collect !== undefined) this.merge(this.collect());
      if (result !== undefined) this.merge(result);
      const end = this.endAttributes(error, abandoned);
      Object.assign(this.attributes, end);
      if (span.isRecording()) {
        span.setAttributes(end);
        if (error !== undefined) {
          span.recordException(error instanceof Error ? error : errorMessage(error));
          span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
        } else if (this.result.error !== undefined) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: this.result.error.message });
        }
        this.attachContent();
      }
      const usage = this.result.usage;
      this.host.metrics?.record(
        this.attributes,
        ((endTime ?? performance.now()) - this.started) / 1000,
        usage?.input,
        usage?.output,
      );
    } catch (err) {
      this.host.diag.error('could not record the end of a model call', err);
    } finally {
      span.end(endTime);
    }
  }

  private endAttributes(error: unknown, abandoned: boolean): Attributes {
    const r = this.result;
    const a: Attributes = {};
    if (r.responseId !== undefined) a[ATTR_GEN_AI_RESPONSE_ID] = r.responseId;
    if (r.responseModel !== undefined) a[ATTR_GEN_AI_RESPONSE_MODEL] = r.responseModel;
    if (r.finishReasons !== undefined && r.finishReasons.length > 0)
      a[ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = r.finishReasons;
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
    if (abandoned) a[ATTR_KAIZEN_STREAM_ABANDONED] = true;
    if (error === undefined && r.error !== undefined) a[ATTR_ERROR_TYPE] = r.error.type;
    if (error !== undefined) {
      a[ATTR_ERROR_TYPE] = errorType(error);
      const status = field(error, 'status');
      if (typeof status === 'number') a[ATTR_HTTP_RESPONSE_STATUS_CODE] = status;
    }
    return a;
  }

  /** Fingerprints (always) and content (when captured): at export when an exporter defers them, else now. */
  private attachContent(): void {
    const { request, host } = this;
    const output = this.result.output;
    const capture = host.captureContent;
    const maxLength = host.maxContentLength;
    const requestAttributes = this.attributes;
    const finalize = () => contentAttributes(request, requestAttributes, output, capture, maxLength);
    if (canDefer(this.span)) defer(this.span, finalize);
    else this.span.setAttributes(finalize());
  }
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
