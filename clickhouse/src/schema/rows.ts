/**
 * Row shapes as ClickHouse returns them in JSONEachRow (64-bit integers arrive as strings, because
 * the entry point sets output_format_json_quote_64bit_integers). Column names are as stored.
 */

/**
 * A row of otel_traces as the OpenTelemetry Collector Contrib ClickHouse exporter writes it, and as
 * JSONEachRow takes it: attribute values stringified, times as "seconds.nanoseconds", Duration in ns.
 */
export interface OtelTraceRow {
  Timestamp: string;
  TraceId: string;
  SpanId: string;
  ParentSpanId: string;
  TraceState: string;
  SpanName: string;
  SpanKind: string;
  ServiceName: string;
  ResourceAttributes: Record<string, string>;
  ScopeName: string;
  ScopeVersion: string;
  SpanAttributes: Record<string, string>;
  Duration: string;
  StatusCode: string;
  StatusMessage: string;
  'Events.Timestamp': string[];
  'Events.Name': string[];
  'Events.Attributes': Record<string, string>[];
  'Links.TraceId': string[];
  'Links.SpanId': string[];
  'Links.TraceState': string[];
  'Links.Attributes': Record<string, string>[];
}

export interface GenaiCallRow {
  Timestamp: string;
  TraceId: string;
  SpanId: string;
  ParentSpanId: string;
  SpanName: string;
  ServiceName: string;
  ServiceVersion: string;
  Environment: string;
  ScopeName: string;
  /** semconv | semconv_legacy | openllmetry | openinference | vercel_ai */
  Dialect: string;
  WorkflowName: string;
  AgentName: string;
  Feature: string;
  UserId: string;
  SessionId: string;
  ConversationId: string;
  /** gen_ai.provider.name values: openai, anthropic, gcp.gemini, gcp.vertex_ai, aws.bedrock … */
  Provider: string;
  /** chat | text_completion | generate_content | embeddings */
  Operation: string;
  RequestModel: string;
  ResponseModel: string;
  /** The @pydantic/genai-prices (or override) model the call was priced as; '' when unpriced. */
  PriceModel: string;
  ServerAddress: string;
  InputTokens: string;
  OutputTokens: string;
  CacheReadTokens: string;
  CacheWriteTokens: string;
  ReasoningTokens: string;
  CostUSD: number;
  /** reported | library | override | unpriced */
  CostSource: string;
  DurationNs: string;
  TimeToFirstTokenNs: string;
  IsStream: number;
  IsError: number;
  ErrorType: string;
  StatusMessage: string;
  FinishReasons: string[];
  Temperature: number | null;
  TopP: number | null;
  MaxTokens: number;
  ToolCount: number;
  OutputType: string;
  ResponseId: string;
  PromptHash: string;
  PromptSimHash: string;
  SystemHash: string;
  /** Semantic-conventions message JSON: [{"role":"user","parts":[{"type":"text","content":"…"}]}]. */
  InputMessages: string;
  OutputMessages: string;
  SystemInstructions: string;
}

export const COST_SOURCES = ['reported', 'library', 'override', 'unpriced'] as const;
export type CostSource = (typeof COST_SOURCES)[number];

export const DIALECTS = ['semconv', 'semconv_legacy', 'openllmetry', 'openinference', 'vercel_ai'] as const;
export type Dialect = (typeof DIALECTS)[number];

export const FINDING_KINDS = ['redundant_call', 'model_overkill', 'prompt_bloat', 'retry_waste', 'agent_loop'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const FINDING_SUBKINDS = {
  redundant_call: ['exact', 'near', 'semantic'],
  model_overkill: [],
  prompt_bloat: ['uncached_prefix', 'history_growth', 'unused_context', 'oversized_examples'],
  retry_waste: [],
  agent_loop: [],
} as const satisfies Record<FindingKind, readonly string[]>;
