import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type HistogramMetricData,
} from '@opentelemetry/sdk-metrics';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAIInstrumentation } from '../src/openai/instrumentation.js';
import { startStubServer, type StubServer } from './support/stub-server.js';
import { setupTracing } from './support/tracing.js';

const tracing = setupTracing('kaizen');
const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
const meterProvider = new MeterProvider({ readers: [reader] });
const instrumentation = new OpenAIInstrumentation();
instrumentation.setMeterProvider(meterProvider);

let stub: StubServer;
beforeAll(async () => {
  stub = await startStubServer();
});
afterAll(async () => {
  await stub.close();
  await meterProvider.shutdown();
  await tracing.shutdown();
});

describe('GenAI client metrics', () => {
  it('records gen_ai.client.operation.duration and gen_ai.client.token.usage per call', async () => {
    const client = new OpenAI({ baseURL: stub.openaiBaseURL, apiKey: 'test', maxRetries: 0 });
    instrumentation.instrumentClient(client);
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
    await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: '[error:429]' }] })
      .catch(() => undefined);
    await tracing.spans(); // makes the queued spans, which records their metrics
    await reader.forceFlush();
    const metrics = exporter.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics));
    const duration = metrics.find(
      (m) => m.descriptor.name === 'gen_ai.client.operation.duration',
    ) as HistogramMetricData;
    const tokens = metrics.find((m) => m.descriptor.name === 'gen_ai.client.token.usage') as HistogramMetricData;
    expect(duration.descriptor.unit).toBe('s');
    expect(duration.dataPoints.map((p) => [p.attributes['error.type'], p.value.count])).toEqual([
      [undefined, 1],
      ['RateLimitError', 1],
    ]);
    expect(duration.dataPoints[0]?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini-2026-01-01',
      'server.address': '127.0.0.1',
    });
    expect(tokens.dataPoints.map((p) => [p.attributes['gen_ai.token.type'], p.value.sum])).toEqual([
      ['input', 42],
      ['output', 17],
    ]);
  });
});
