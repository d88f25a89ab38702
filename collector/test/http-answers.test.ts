/**
 * Every OTLP/HTTP answer the specification (and the Collector's receiver) gives, in the request's
 * encoding: full and partial success, bad data, wrong method, wrong media type, too large (also
 * after inflating a gzip bomb, with memory staying bounded), and the official example payloads.
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createGzip, gzipSync } from 'node:zlib';
import { p, sql, T } from '@kaizen/clickhouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeStatus, decodeTraceResponse } from './support/otlp-messages.js';
import { hex, PB, traceRequest } from './support/proto-builder.js';
import { metricValue, startTestCollector, type TestCollector } from './support/test-collector.js';

const LIMIT = 1024 * 1024;
let t: TestCollector;
beforeAll(async () => {
  t = await startTestCollector({}, { maxBodyBytes: LIMIT });
});
afterAll(async () => {
  await t.close();
});

const PROTO = 'application/x-protobuf';
const JSON_CT = 'application/json';

async function post(path: string, body: Uint8Array | string, headers: Record<string, string>) {
  const res = await fetch(`${t.httpUrl}${path}`, { method: 'POST', body, headers });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/opentelemetry-proto/${name}`, import.meta.url), 'utf8');

async function countSpans(traceId: string): Promise<number> {
  const [r] = await t.store.storage.query<{ n: string }>(
    sql`SELECT count() AS n FROM ${t.store.storage.table(T.otelTraces)} WHERE TraceId = ${p.string(traceId)}`,
  );
  return Number(r?.n);
}

describe('success', () => {
  it('answers a protobuf export with 200 and an empty protobuf message', async () => {
    const traceId = hex(16);
    const r = await post('/v1/traces', traceRequest([{ traceId, spanId: hex(8) }]), { 'content-type': PROTO });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(PROTO);
    expect(r.body.length).toBe(0);
    expect(await countSpans(traceId)).toBe(1);
  });

  it('answers a JSON export with 200 and {} (media type parameters allowed)', async () => {
    const r = await post('/v1/traces', fixture('trace.json'), { 'content-type': 'application/json; charset=utf-8' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(JSON_CT);
    expect(r.body.toString()).toBe('{}');
  });

  it('answers an empty request with success', async () => {
    expect((await post('/v1/traces', Buffer.alloc(0), { 'content-type': PROTO })).status).toBe(200);
    expect((await post('/v1/logs', '{}', { 'content-type': JSON_CT })).body.toString()).toBe('{}');
  });

  it('stores the official example payloads of opentelemetry-proto', async () => {
    for (const [path, file] of [
      ['/v1/traces', 'trace.json'],
      ['/v1/logs', 'logs.json'],
      ['/v1/logs', 'events.json'],
    ] as const) {
      const r = await post(path, fixture(file), { 'content-type': JSON_CT });
      expect(r.status, file).toBe(200);
    }
    const [span] = await t.store.storage.query<Record<string, unknown>>(
      sql`SELECT SpanName, SpanKind, ServiceName, ParentSpanId, ScopeName, ScopeVersion, SpanAttributes, Duration
          FROM ${t.store.storage.table(T.otelTraces)} WHERE TraceId = ${p.string('5b8efff798038103d269b633813fc60c')}`,
    );
    expect(span).toEqual({
      SpanName: "I'm a server span",
      SpanKind: 'Server',
      ServiceName: 'my.service',
      ParentSpanId: 'eee19b7ec3c1b173',
      ScopeName: 'my.library',
      ScopeVersion: '1.0.0',
      SpanAttributes: { 'my.span.attr': 'some value' },
      Duration: '1000000000',
    });
    const logs = await t.store.storage.query<Record<string, unknown>>(
      sql`SELECT EventName, Body, LogAttributes, SeverityNumber, TraceId, ScopeAttributes
          FROM ${t.store.storage.table(T.otelLogs)} WHERE ServiceName = 'my.service' ORDER BY EventName`,
    );
    expect(logs).toEqual([
      {
        EventName: '',
        Body: 'Example log record',
        LogAttributes: {
          'string.attribute': 'some string',
          'boolean.attribute': 'true',
          'int.attribute': '10',
          'double.attribute': '637.704',
          'array.attribute': '["many","values"]',
          'map.attribute': '{"some.map.key":"some value"}',
        },
        SeverityNumber: 10,
        TraceId: '5b8efff798038103d269b633813fc60c',
        ScopeAttributes: { 'my.scope.attribute': 'some scope attribute' },
      },
      {
        EventName: 'browser.page_view',
        Body:
          '{"referrer":"https://wwww.google.com","title":"Free Online GUID Generator","type":0,' +
          '"url":"https://www.guidgenerator.com/online-guid-generator.aspx"}',
        LogAttributes: { 'event.attribute': 'some event attribute' },
        SeverityNumber: 9,
        TraceId: '',
        ScopeAttributes: { 'my.scope.attribute': 'some scope attribute' },
      },
    ]);
  });

  it('accepts gzip bodies', async () => {
    const traceId = hex(16);
    const r = await post('/v1/traces', gzipSync(traceRequest([{ traceId, spanId: hex(8) }])), {
      'content-type': PROTO,
      'content-encoding': 'gzip',
    });
    expect(r.status).toBe(200);
    expect(await countSpans(traceId)).toBe(1);
  });
});

describe('partial success', () => {
  const spans = (traceId: string) => [
    { traceId, spanId: hex(8) },
    { traceId: '00'.repeat(16), spanId: hex(8) },
    { spanId: hex(8) },
  ];

  it('reports rejected spans in a protobuf ExportTraceServiceResponse', async () => {
    const traceId = hex(16);
    const r = await post('/v1/traces', traceRequest(spans(traceId)), { 'content-type': PROTO });
    expect(r.status).toBe(200);
    expect(decodeTraceResponse(r.body)).toEqual({
      partial_success: {
        rejected_spans: '2',
        error_message: '2 spans with an empty or all-zero trace id were rejected',
      },
    });
    expect(await countSpans(traceId)).toBe(1);
  });

  it('reports rejected spans as partialSuccess in JSON, int64 as a string', async () => {
    const body = JSON.stringify({
      resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: hex(16), spanId: hex(8) }, { traceId: hex(16) }] }] }],
    });
    const r = await post('/v1/traces', body, { 'content-type': JSON_CT });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body.toString())).toEqual({
      partialSuccess: { rejectedSpans: '1', errorMessage: '1 spans with an empty or all-zero span id were rejected' },
    });
    expect(
      await metricValue(t.registry, 'kaizen_collector_rejected_total', { signal: 'traces', reason: 'invalid' }),
    ).toBeGreaterThanOrEqual(3);
  });
});

describe('bad data: 400 with a google.rpc.Status in the request encoding', () => {
  it.each([
    ['garbage protobuf', Buffer.from('this is not protobuf at all, really not')],
    ['truncated protobuf', traceRequest([{ traceId: hex(16), spanId: hex(8) }]).subarray(0, 41)],
    ['a trace id of 5 bytes', traceRequest([{ traceId: hex(5), spanId: hex(8) }])],
    ['a negative length', new PB().raw(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])).finish()],
  ])('protobuf: %s', async (_what, body) => {
    const r = await post('/v1/traces', body, { 'content-type': PROTO });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toBe(PROTO);
    const status = decodeStatus(r.body);
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/^could not decode the protobuf traces request: /);
  });

  it.each([
    ['invalid JSON', '{"resourceSpans": [}'],
    [
      'a wrong trace id',
      JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'xyz', spanId: hex(8) }] }] }] }),
    ],
    [
      'a wrong span id',
      JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: hex(16), spanId: hex(7) }] }] }] }),
    ],
    ['a broken gzip stream', 'gzip'],
  ])('JSON: %s', async (what, body) => {
    const headers: Record<string, string> = { 'content-type': JSON_CT };
    if (body === 'gzip') headers['content-encoding'] = 'gzip';
    const r = await post('/v1/traces', body === 'gzip' ? gzipSync('{}').subarray(0, 12) : body, headers);
    expect(r.status, what).toBe(400);
    expect(r.headers.get('content-type')).toBe(JSON_CT);
    const status = JSON.parse(r.body.toString()) as { code: number; message: string };
    expect(status.code).toBe(3);
    expect(status.message.length).toBeGreaterThan(10);
  });
});

describe('refusals', () => {
  it('answers 405 to other methods, with Allow: POST', async () => {
    const res = await fetch(`${t.httpUrl}/v1/traces`, { method: 'GET' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect((await fetch(`${t.httpUrl}/v1/logs`, { method: 'PUT', body: 'x' })).status).toBe(405);
  });

  it('answers 404 to other paths', async () => {
    expect((await post('/v1/metrics', '{}', { 'content-type': JSON_CT })).status).toBe(404);
  });

  it('answers 415 to other media types and content encodings', async () => {
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'application/grpc', '']) {
      const r = await post('/v1/traces', '{}', ct === '' ? {} : { 'content-type': ct });
      expect(r.status, ct).toBe(415);
      expect(r.body.toString()).toContain('application/x-protobuf');
    }
    const r = await post('/v1/traces', '{}', { 'content-type': JSON_CT, 'content-encoding': 'br' });
    expect(r.status).toBe(415);
  });

  it('answers 413 past the size limit, declared or streamed', async () => {
    const big = Buffer.alloc(LIMIT + 1, 0x20);
    expect((await post('/v1/traces', big, { 'content-type': JSON_CT })).status).toBe(413);
    const res = await fetch(`${t.httpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': PROTO },
      body: Readable.toWeb(Readable.from([big.subarray(0, LIMIT), big.subarray(LIMIT)])) as ReadableStream,
      duplex: 'half',
    });
    expect(res.status).toBe(413);
    expect(decodeStatus(Buffer.from(await res.arrayBuffer())).code).toBe(8);
  });

  it('answers 413 to a gzip bomb, counting after inflating, and memory stays bounded', async () => {
    const chunk = Buffer.alloc(1024 * 1024);
    const zeros = Readable.from(
      (function* () {
        for (let i = 0; i < 512; i++) yield chunk;
      })(),
    );
    const parts: Buffer[] = [];
    for await (const c of zeros.pipe(createGzip({ level: 9 }))) parts.push(c as Buffer);
    const bomb = Buffer.concat(parts); // ~500 KiB that inflate to 512 MiB
    expect(bomb.length).toBeLessThan(LIMIT);
    const before = process.memoryUsage();
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const r = await post('/v1/traces', bomb, { 'content-type': PROTO, 'content-encoding': 'gzip' });
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(r.status).toBe(413);
    expect(decodeStatus(r.body).message).toMatch(/inflates to more than 1048576 bytes/);
    expect(peak - before.rss).toBeLessThan(128 * 1024 * 1024);
  });
});

describe('metrics', () => {
  it('counts requests by answer and serves them at GET /metrics', async () => {
    const text = await (await fetch(`${t.httpUrl}/metrics`)).text();
    expect(text).toMatch(/kaizen_collector_requests_total\{signal="traces",protocol="http",code="200"\} \d+/);
    expect(text).toMatch(/kaizen_collector_requests_total\{signal="traces",protocol="http",code="400"\} \d+/);
    expect(text).toMatch(/kaizen_collector_rejected_total\{signal="traces",reason="too_large"\} \d+/);
    expect(text).toMatch(/kaizen_collector_rejected_total\{signal="traces",reason="media_type"\} \d+/);
    expect(text).toMatch(/kaizen_collector_written_total\{signal="traces"\} \d+/);
    expect(text).toMatch(/kaizen_collector_batch_duration_seconds_bucket\{le="[^"]+",signal="traces",outcome="ok"\}/);
    expect(text).toMatch(/kaizen_collector_clickhouse_up 1/);
    expect(text).toMatch(/kaizen_collector_spool_bytes 0/);
    expect(await metricValue(t.registry, 'kaizen_collector_received_total', { signal: 'logs', protocol: 'http' })).toBe(
      2,
    );
    expect((await fetch(`${t.httpUrl}/healthz`)).status).toBe(200);
  });
});
