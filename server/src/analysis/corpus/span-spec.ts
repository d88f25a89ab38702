import type { CorpusModelCall, CorpusSpan, CorpusTrace } from './corpus.types.js';

/**
 * A corpus trace as OpenTelemetry spans with GenAI semantic-convention (≥ 1.37) attributes, the way
 * an instrumented multi-agent app emits them: invoke_workflow → invoke_agent → chat / execute_tool.
 * The sinks turn these into otel_traces rows (as the contrib exporter writes them) or real OTLP.
 */

export type AttributeValue = string | number | boolean;

export interface SpanSpec {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  readonly kind: 'internal' | 'client';
  readonly startMs: number;
  readonly durationMs: number;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly status: 'unset' | 'error';
  readonly statusMessage: string;
  readonly resource: Readonly<Record<string, string>>;
  readonly scope: { readonly name: string; readonly version: string };
}

export const CORPUS_SCOPE = { name: '@kaizen/corpus', version: '1.0.0' } as const;

function messagesJson(messages: readonly { role: string; content: string }[]): string {
  return JSON.stringify(messages.map((m) => ({ role: m.role, parts: [{ type: 'text', content: m.content }] })));
}

function modelAttributes(c: CorpusModelCall, workflow: string): Record<string, AttributeValue> {
  const a: Record<string, AttributeValue> = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': c.provider,
    'gen_ai.request.model': c.model,
    'gen_ai.response.model': c.model,
    'gen_ai.agent.name': c.agent,
    'kaizen.workflow.name': workflow,
    'gen_ai.input.messages': messagesJson(c.messages),
  };
  if (c.system !== '') a['gen_ai.system_instructions'] = JSON.stringify([{ type: 'text', content: c.system }]);
  if (c.temperature !== undefined) a['gen_ai.request.temperature'] = c.temperature;
  if (c.maxTokens !== undefined) a['gen_ai.request.max_tokens'] = c.maxTokens;
  if (c.conversationId !== undefined) a['gen_ai.conversation.id'] = c.conversationId;
  if (c.outputType !== undefined) a['gen_ai.output.type'] = c.outputType;
  if (c.errorType !== undefined) {
    a['error.type'] = c.errorType;
    if (c.inputTokens > 0) a['gen_ai.usage.input_tokens'] = c.inputTokens;
    return a;
  }
  a['gen_ai.usage.input_tokens'] = c.inputTokens;
  a['gen_ai.usage.output_tokens'] = c.outputTokens;
  if (c.cacheReadTokens > 0) a['gen_ai.usage.cache_read.input_tokens'] = c.cacheReadTokens;
  a['gen_ai.response.finish_reasons'] = JSON.stringify([c.finishReason]);
  a['gen_ai.output.messages'] = JSON.stringify([
    { role: 'assistant', parts: [{ type: 'text', content: c.output }], finish_reason: c.finishReason },
  ]);
  return a;
}

function specOf(t: CorpusTrace, s: CorpusSpan): SpanSpec {
  const base = {
    traceId: t.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    startMs: s.startMs,
    durationMs: s.durationMs,
    resource: { 'service.name': t.serviceName, 'service.version': t.serviceVersion },
    scope: CORPUS_SCOPE,
  };
  switch (s.type) {
    case 'workflow':
      return {
        ...base,
        name: `invoke_workflow ${s.name}`,
        kind: 'internal',
        attributes: { 'gen_ai.operation.name': 'invoke_workflow', 'kaizen.workflow.name': s.name },
        status: 'unset',
        statusMessage: '',
      };
    case 'agent':
      return {
        ...base,
        name: `invoke_agent ${s.name}`,
        kind: 'internal',
        attributes: {
          'gen_ai.operation.name': 'invoke_agent',
          'gen_ai.agent.name': s.name,
          'kaizen.workflow.name': t.workflowName,
        },
        status: 'unset',
        statusMessage: '',
      };
    case 'tool':
      return {
        ...base,
        name: `execute_tool ${s.name}`,
        kind: 'internal',
        attributes: {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': s.name,
          'gen_ai.tool.call.arguments': s.arguments,
          'gen_ai.tool.call.result': s.result,
          'gen_ai.agent.name': s.agent,
          'kaizen.workflow.name': t.workflowName,
        },
        status: s.isError ? 'error' : 'unset',
        statusMessage: '',
      };
    case 'model':
      return {
        ...base,
        name: `chat ${s.model}`,
        kind: 'client',
        attributes: modelAttributes(s, t.workflowName),
        status: s.errorType !== undefined ? 'error' : 'unset',
        statusMessage: s.errorType !== undefined ? `provider answered ${s.errorType}` : '',
      };
  }
}

export function corpusSpans(trace: CorpusTrace): SpanSpec[] {
  return trace.spans.map((s) => specOf(trace, s));
}
