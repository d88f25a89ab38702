import type { Attributes, DiagLogger, Tracer } from '@opentelemetry/api';
import type { Message, Part, ToolDefinition } from './messages.js';
import type { GenAIMetrics } from './metrics.js';
import type { ServerInfo } from './server.js';

/** What an instrumentation learns from a request before calling the SDK. */
export interface ModelRequest {
  readonly operation: string;
  readonly provider: string;
  /** The request model as recorded (gen_ai.request.model); '' when unknown. */
  readonly model: string;
  readonly server: ServerInfo | undefined;
  readonly stream: boolean;
  /** Request parameters as span attributes (gen_ai.request.*, gen_ai.output.type …), read at the call. */
  readonly attributes: Attributes;
  /**
   * The request's content, normalised when the span is made (off the call's path) from shallow
   * snapshots taken at the call (message lists copied, so a caller that pushes to its list after
   * the call does not change what was sent).
   */
  readonly content: () => RequestContent;
}

export interface RequestContent {
  /** The input messages: recorded as content, and fingerprinted whether or not content is. */
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
