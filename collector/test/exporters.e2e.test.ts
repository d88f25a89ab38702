/**
 * The real OpenTelemetry exporters (OTLP/HTTP protobuf, OTLP/HTTP JSON, OTLP/gRPC, each also gzip)
 * send GenAI spans and GenAI content log events to the collector; the rows in embedded ClickHouse
 * equal, column by column, what the contrib ClickHouse exporter writes for the same data.
 */
import { context, SpanKind, SpanStatusCode, trace, type HrTime } from '@opentelemetry/api';
import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
  type LogRecordExporter,
} from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';
import { p, sql, T } from '@kaizen/clickhouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedLogRow, expectedSpanRow } from './support/expected-rows.js';
import { startTestCollector, type TestCollector } from './support/test-collector.js';

let t: TestCollector;
beforeAll(async () => {
  t = await startTestCollector();
});
afterAll(async () => {
  await t.close();
});

type Transport = 'proto' | 'json' | 'grpc';
const CASES: { transport: Transport; gzip: boolean }[] = [
  { transport: 'proto', gzip: false },
  { transport: 'json', gzip: false },
  { transport: 'grpc', gzip: false },
  { transport: 'proto', gzip: true },
  { transport: 'json', gzip: true },
  { transport: 'grpc', gzip: true },
];

function traceExporter(transport: Transport, gzip: boolean): SpanExporter {
  const compression = (gzip ? 'gzip' : 'none') as never;
  if (transport === 'grpc') return new GrpcTraceExporter({ url: `http://${t.grpcAddress}`, compression });
  const url = `${t.httpUrl}/v1/traces`;
  return transport === 'proto'
    ? new ProtoTraceExporter({ url, compression })
    : new JsonTraceExporter({ url, compression });
}

function logExporter(transport: Transport, gzip: boolean): LogRecordExporter {
  const compression = (gzip ? 'gzip' : 'none') as never;
  if (transport === 'grpc') return new GrpcLogExporter({ url: `http://${t.grpcAddress}`, compression });
  const url = `${t.httpUrl}/v1/logs`;
  return transport === 'proto' ? new ProtoLogExporter({ url, compression }) : new JsonLogExporter({ url, compression });
}

const RESOURCE = {
  'service.name': 'support-bot',
  'service.version': '2.4.1',
  'deployment.environment.name': 'test',
  'host.cpu.count': 2,
};

const hr = (ms: number, extraNs = 0): HrTime => [Math.floor(ms / 1000), (ms % 1000) * 1_000_000 + extraNs];

async function rowsOf(table: typeof T.otelTraces | typeof T.otelLogs, traceId: string) {
  return t.store.storage.query<Record<string, unknown>>(
    sql`SELECT * FROM ${t.store.storage.table(table)} WHERE TraceId = ${p.string(traceId)} ORDER BY Timestamp`,
  );
}

describe.each(CASES)('$transport exporter (gzip: $gzip)', ({ transport, gzip }) => {
  it('stores GenAI spans exactly as the contrib exporter writes them', async () => {
    const memory = new InMemorySpanExporter();
    const provider = new TracerProvider({
      resource: resourceFromAttributes(RESOURCE),
      spanProcessors: [
        new SimpleSpanProcessor({ exporter: traceExporter(transport, gzip) }),
        new SimpleSpanProcessor({ exporter: memory }),
      ],
    });
    const tracer = provider.getTracer('@kaizen/instrumentation', '0.1.0');
    const now = Date.now();
    const root = tracer.startSpan('invoke_workflow triage', {
      kind: SpanKind.INTERNAL,
      startTime: hr(now - 5000, 1),
      attributes: { 'gen_ai.operation.name': 'invoke_workflow', 'kaizen.workflow.name': 'triage' },
    });
    const ctx = trace.setSpan(context.active(), root);
    const call = tracer.startSpan(
      'chat gpt-4o-mini',
      {
        kind: SpanKind.CLIENT,
        startTime: hr(now - 4000, 123_457),
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
          'gen_ai.usage.input_tokens': 812,
          'gen_ai.usage.output_tokens': 95,
          'gen_ai.request.temperature': 0.2,
          'gen_ai.request.max_tokens': 1024,
          'gen_ai.request.stream': false,
          'gen_ai.response.finish_reasons': ['stop'],
          'gen_ai.request.stop_sequences': ['\n\n', 'END'],
          'kaizen.test.ints': [1, 2, 3],
          'kaizen.test.doubles': [0.5, 1.25, 1e-7],
          'kaizen.test.bools': [true, false],
          'gen_ai.input.messages': JSON.stringify([
            { role: 'system', parts: [{ type: 'text', content: 'You are a support bot.' }] },
            { role: 'user', parts: [{ type: 'text', content: 'Where is my refund? ünïcödé ✓ 𝄞' }] },
          ]),
          'gen_ai.output.messages': JSON.stringify([
            { role: 'assistant', parts: [{ type: 'text', content: 'It is on its way.' }], finish_reason: 'stop' },
          ]),
        },
        links: [
          {
            context: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 },
            attributes: { 'link.reason': 'retry of', 'link.attempt': 2 },
          },
        ],
      },
      ctx,
    );
    call.addEvent('gen_ai.choice', { index: 0, finish_reason: 'stop' }, hr(now - 3500, 7));
    call.addEvent('exception', { 'exception.type': 'RateLimitError' }, hr(now - 3400));
    call.setStatus({ code: SpanStatusCode.ERROR, message: 'rate limited, retried' });
    call.end(hr(now - 3000, 999_999));
    root.setStatus({ code: SpanStatusCode.OK });
    root.end(hr(now - 2000));
    await provider.forceFlush();
    const spans = memory.getFinishedSpans();
    await provider.shutdown();
    expect(spans).toHaveLength(2);
    const traceId = call.spanContext().traceId;
    const rows = await rowsOf(T.otelTraces, traceId);
    expect(rows).toHaveLength(2);
    for (const span of spans) {
      const row = rows.find((r) => r['SpanId'] === span.spanContext().spanId);
      expect(row, span.name).toBeDefined();
      const expected = expectedSpanRow(span);
      expect(Object.keys(row ?? {}).sort()).toEqual(Object.keys(expected).sort());
      for (const [column, value] of Object.entries(expected)) expect(row?.[column], column).toEqual(value);
    }

    // The genai_calls view saw the model call (and only it), whichever transport carried it.
    const calls = await t.store.storage.query<Record<string, unknown>>(
      sql`SELECT SpanId, Provider, RequestModel, InputTokens, OutputTokens, IsError, WorkflowName, Dialect
          FROM ${t.store.storage.table(T.genaiCalls)} WHERE TraceId = ${p.string(traceId)}`,
    );
    expect(calls).toEqual([
      {
        SpanId: call.spanContext().spanId,
        Provider: 'openai',
        RequestModel: 'gpt-4o-mini',
        InputTokens: '812',
        OutputTokens: '95',
        IsError: 1,
        WorkflowName: '',
        Dialect: 'semconv',
      },
    ]);
  });

  it('stores GenAI content log events in otel_logs, joinable to their span', async () => {
    const memory = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      resource: resourceFromAttributes(RESOURCE),
      processors: [
        new SimpleLogRecordProcessor({ exporter: logExporter(transport, gzip) }),
        new SimpleLogRecordProcessor({ exporter: memory }),
      ],
    });
    const tracing = new TracerProvider({
      resource: resourceFromAttributes(RESOURCE),
      spanProcessors: [new SimpleSpanProcessor({ exporter: traceExporter(transport, gzip) })],
    });
    const span = tracing.getTracer('openllm').startSpan('chat claude-sonnet-4', {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.system': 'anthropic',
        'gen_ai.request.model': 'claude-sonnet-4',
        'gen_ai.usage.input_tokens': 40,
        'gen_ai.usage.output_tokens': 12,
      },
    });
    const ctx = trace.setSpan(context.active(), span);
    const logger = provider.getLogger('@opentelemetry/instrumentation-anthropic', '0.9.0');
    logger.emit({
      eventName: 'gen_ai.user.message',
      body: { content: 'Summarise the ticket.' },
      attributes: { 'gen_ai.system': 'anthropic' },
      severityNumber: 9,
      severityText: 'INFO',
      context: ctx,
    });
    logger.emit({
      eventName: 'gen_ai.choice',
      body: { finish_reason: 'end_turn', index: '0', message: '{"content":"Customer wants a refund."}' },
      attributes: { 'gen_ai.system': 'anthropic', 'event.attempt': 1, 'event.ratio': 0.75 },
      context: ctx,
    });
    span.end();
    await provider.forceFlush();
    await tracing.forceFlush();
    const records = memory.getFinishedLogRecords();
    await provider.shutdown();
    await tracing.shutdown();

    const traceId = span.spanContext().traceId;
    expect(records).toHaveLength(2);
    const rows = await rowsOf(T.otelLogs, traceId);
    expect(rows).toHaveLength(2);
    for (const record of records) {
      const row = rows.find((r) => r['EventName'] === record.eventName);
      const expected = expectedLogRow(record);
      expect(Object.keys(row ?? {}).sort()).toEqual(Object.keys(expected).sort());
      for (const [column, value] of Object.entries(expected)) expect(row?.[column], column).toEqual(value);
    }
    const joined = await t.store.storage.query<{ EventName: string; RequestModel: string; InputMessages: string }>(
      sql`SELECT m.EventName AS EventName, c.RequestModel AS RequestModel, m.InputMessages AS InputMessages
          FROM ${t.store.storage.table(T.genaiLogMessages)} AS m
          INNER JOIN ${t.store.storage.table(T.genaiCalls)} AS c ON c.TraceId = m.TraceId AND c.SpanId = m.SpanId
          WHERE m.TraceId = ${p.string(traceId)} ORDER BY m.Timestamp, m.EventName`,
    );
    expect(joined.map((j) => [j.EventName, j.RequestModel])).toEqual(
      expect.arrayContaining([
        ['gen_ai.user.message', 'claude-sonnet-4'],
        ['gen_ai.choice', 'claude-sonnet-4'],
      ]),
    );
    expect(joined.find((j) => j.EventName === 'gen_ai.user.message')?.InputMessages).toContain('Summarise the ticket.');
  });
});
