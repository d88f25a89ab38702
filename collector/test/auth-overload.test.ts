/**
 * KAIZEN_INGEST_TOKEN (missing, wrong, and the header OTEL_EXPORTER_OTLP_HEADERS produces, over HTTP
 * and gRPC), and push-back: 429 when the collector is busy, 503 when ClickHouse is down and the spool
 * is full, both with Retry-After; gRPC gets UNAVAILABLE with a RetryInfo.
 */
import { Client, credentials, Metadata, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SimpleSpanProcessor, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';
import { p, sql, T } from '@kaizen/clickhouse';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type RunningCollector } from '../src/index.js';
import { decodeStatus } from './support/otlp-messages.js';
import { hex, traceRequest } from './support/proto-builder.js';
import { metricValue, startTestCollector, type TestCollector } from './support/test-collector.js';

const TOKEN = 'kz-ingest-9f8e7d6c5b4a';
let t: TestCollector;
beforeAll(async () => {
  t = await startTestCollector({ KAIZEN_INGEST_TOKEN: TOKEN });
});
afterAll(async () => {
  await t.close();
});

const PROTO = 'application/x-protobuf';
const post = async (url: string, body: Uint8Array, headers: Record<string, string>) => {
  const res = await fetch(`${url}/v1/traces`, { method: 'POST', body, headers: { 'content-type': PROTO, ...headers } });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
};

function grpcExport(
  address: string,
  body: Buffer,
  metadata = new Metadata(),
): Promise<{ err: ServiceError | null; res?: Buffer }> {
  const client = new Client(address, credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      (b: Buffer) => b,
      (b: Buffer) => b,
      body,
      metadata,
      (err, res) => {
        client.close();
        resolve({ err, ...(res ? { res } : {}) });
      },
    );
  });
}

async function stored(traceId: string): Promise<number> {
  const [r] = await t.store.storage.query<{ n: string }>(
    sql`SELECT count() AS n FROM ${t.store.storage.table(T.otelTraces)} WHERE TraceId = ${p.string(traceId)}`,
  );
  return Number(r?.n);
}

async function sendWith(exporter: SpanExporter): Promise<string> {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'auth-test' }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const span = provider.getTracer('t').startSpan('authorised');
  span.end();
  await provider.forceFlush();
  await provider.shutdown();
  return span.spanContext().traceId;
}

describe('KAIZEN_INGEST_TOKEN', () => {
  it('refuses a request without the bearer header, and one with a wrong token (401)', async () => {
    const body = traceRequest([{ traceId: hex(16), spanId: hex(8) }]);
    for (const headers of [{}, { authorization: 'Bearer wrong-token-123' }, { authorization: `Basic ${TOKEN}` }]) {
      const r = await post(t.httpUrl, body, headers);
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(decodeStatus(r.body)).toMatchObject({ code: 16 });
    }
    expect(await metricValue(t.registry, 'kaizen_collector_rejected_total', { reason: 'auth' })).toBe(3);
  });

  it('accepts the header OTEL_EXPORTER_OTLP_HEADERS produces, over HTTP and gRPC', async () => {
    process.env['OTEL_EXPORTER_OTLP_HEADERS'] = `Authorization=Bearer%20${TOKEN}`;
    try {
      const viaHttp = await sendWith(new ProtoTraceExporter({ url: `${t.httpUrl}/v1/traces` }));
      const viaGrpc = await sendWith(new GrpcTraceExporter({ url: `http://${t.grpcAddress}` }));
      expect(await stored(viaHttp)).toBe(1);
      expect(await stored(viaGrpc)).toBe(1);
    } finally {
      delete process.env['OTEL_EXPORTER_OTLP_HEADERS'];
    }
  });

  it('answers gRPC without the token with UNAUTHENTICATED', async () => {
    const { err } = await grpcExport(t.grpcAddress, traceRequest([{ traceId: hex(16), spanId: hex(8) }]));
    expect(err?.code).toBe(GrpcStatus.UNAUTHENTICATED);
    const md = new Metadata();
    md.set('authorization', 'Bearer nope-nope-nope');
    expect((await grpcExport(t.grpcAddress, Buffer.alloc(0), md)).err?.code).toBe(GrpcStatus.UNAUTHENTICATED);
  });
});

describe('push-back', () => {
  async function side(
    opts: Parameters<typeof startCollector>[0]['writer'] & { spoolMaxBytes: number; down?: boolean },
  ) {
    const { spoolMaxBytes, down, ...writer } = opts;
    return startCollector({
      storage: () => (down ? undefined : t.store.storage),
      config: { ...t.store.config, ingestToken: undefined },
      registry: new Registry(),
      logger: pino({ level: process.env['KAIZEN_TEST_LOG'] ?? 'silent' }),
      httpPort: 0,
      grpcPort: 0,
      spoolDir: mkdtempSync(join(tmpdir(), 'kaizen-spool-')),
      spoolMaxBytes,
      writer: { maxBatchAgeMs: 10, retryIntervalMs: 60_000, ...writer },
    });
  }
  const url = (c: RunningCollector) => `http://127.0.0.1:${c.httpPort}`;

  it('answers 429 with Retry-After when neither the queue nor the spool can take more', async () => {
    const c = await side({ maxQueueBytes: 16, spoolMaxBytes: 16 });
    try {
      const r = await post(url(c), traceRequest([{ traceId: hex(16), spanId: hex(8) }]), {});
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('1');
      expect(decodeStatus(r.body)).toMatchObject({ code: 8, retryDelaySeconds: '1' });
      const json = await fetch(`${url(c)}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: hex(16), spanId: hex(8) }] }] }] }),
      });
      expect(json.status).toBe(429);
      expect(await json.json()).toMatchObject({ code: 8, details: [{ retryDelay: '1s' }] });
      expect(await metricValue(c.registry, 'kaizen_collector_rejected_total', { reason: 'overload' })).toBe(2);
    } finally {
      await c.close();
    }
  });

  it('answers 503 with Retry-After (and gRPC UNAVAILABLE with RetryInfo) when ClickHouse is down and the spool is full', async () => {
    const c = await side({ spoolMaxBytes: 16, down: true });
    try {
      const r = await post(url(c), traceRequest([{ traceId: hex(16), spanId: hex(8) }]), {});
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBe('5');
      expect(decodeStatus(r.body)).toMatchObject({ code: 14, retryDelaySeconds: '5' });
      const g = await grpcExport(`127.0.0.1:${c.grpcPort}`, traceRequest([{ traceId: hex(16), spanId: hex(8) }]));
      expect(g.err?.code).toBe(GrpcStatus.UNAVAILABLE);
      const details = g.err?.metadata.get('grpc-status-details-bin')[0];
      expect(decodeStatus(details as Buffer)).toMatchObject({ code: 14, retryDelaySeconds: '5' });
      expect(c.stats()).toMatchObject({ mode: 'spooling', spoolBatches: 0 });
    } finally {
      await c.close();
    }
  });

  it('acknowledges from the spool (fsynced) while ClickHouse is down, and counts it', async () => {
    const c = await side({ spoolMaxBytes: 1 << 20, down: true });
    try {
      const r = await post(url(c), traceRequest([{ traceId: hex(16), spanId: hex(8) }]), {});
      expect(r.status).toBe(200);
      expect(c.stats()).toMatchObject({ mode: 'spooling', spoolBatches: 1, spooled: 1, written: 0 });
      expect(await metricValue(c.registry, 'kaizen_collector_spooled_total', { signal: 'traces' })).toBe(1);
      expect(await metricValue(c.registry, 'kaizen_collector_clickhouse_up')).toBe(0);
      expect(await metricValue(c.registry, 'kaizen_collector_spool_bytes')).toBeGreaterThan(100);
    } finally {
      await c.close();
    }
  });
});
