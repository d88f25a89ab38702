/** OTLP/gRPC answers: success, partial success, bad data, the size limit, gzip, and the logs service. */
import { gzipSync } from 'node:zlib';
import { Client, credentials, Metadata, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { p, sql, T } from '@kaizen/clickhouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeLogsResponse, decodeTraceResponse } from './support/otlp-messages.js';
import { hex, keyValue, PB, traceRequest } from './support/proto-builder.js';
import { metricValue, startTestCollector, type TestCollector } from './support/test-collector.js';

let t: TestCollector;
let client: Client;
beforeAll(async () => {
  t = await startTestCollector({}, { maxBodyBytes: 256 * 1024 });
  client = new Client(t.grpcAddress, credentials.createInsecure());
});
afterAll(async () => {
  client.close();
  await t.close();
});

function call(service: 'trace' | 'logs', body: Buffer, metadata = new Metadata()) {
  const path =
    service === 'trace'
      ? '/opentelemetry.proto.collector.trace.v1.TraceService/Export'
      : '/opentelemetry.proto.collector.logs.v1.LogsService/Export';
  return new Promise<{ err: ServiceError | null; res: Buffer | undefined }>((resolve) =>
    client.makeUnaryRequest(
      path,
      (b: Buffer) => b,
      (b: Buffer) => b,
      body,
      metadata,
      (err, res) => resolve({ err, res }),
    ),
  );
}

describe('OTLP/gRPC', () => {
  it('stores spans and answers an empty ExportTraceServiceResponse', async () => {
    const traceId = hex(16);
    const { err, res } = await call(
      'trace',
      traceRequest([
        { traceId, spanId: hex(8) },
        { traceId, spanId: hex(8) },
      ]),
    );
    expect(err).toBeNull();
    expect(res?.length).toBe(0);
    const [r] = await t.store.storage.query<{ n: string }>(
      sql`SELECT count() AS n FROM ${t.store.storage.table(T.otelTraces)} WHERE TraceId = ${p.string(traceId)}`,
    );
    expect(r?.n).toBe('2');
    expect(await metricValue(t.registry, 'kaizen_collector_requests_total', { protocol: 'grpc', code: 'OK' })).toBe(1);
  });

  it('reports a partial success', async () => {
    const { err, res } = await call(
      'trace',
      traceRequest([{ traceId: hex(16), spanId: hex(8) }, { traceId: hex(16) }]),
    );
    expect(err).toBeNull();
    expect(decodeTraceResponse(res ?? Buffer.alloc(0))).toEqual({
      partial_success: {
        rejected_spans: '1',
        error_message: '1 spans with an empty or all-zero span id were rejected',
      },
    });
  });

  it('answers INVALID_ARGUMENT to garbage and truncated messages', async () => {
    for (const body of [
      Buffer.from('garbage, not protobuf'),
      traceRequest([{ traceId: hex(16), spanId: hex(8) }]).subarray(0, 20),
    ]) {
      const { err } = await call('trace', body);
      expect(err?.code).toBe(GrpcStatus.INVALID_ARGUMENT);
      expect(err?.details).toMatch(/could not decode the protobuf traces request/);
    }
    expect(
      await metricValue(t.registry, 'kaizen_collector_requests_total', { protocol: 'grpc', code: 'INVALID_ARGUMENT' }),
    ).toBe(2);
  });

  it('answers RESOURCE_EXHAUSTED past the size limit', async () => {
    const big = traceRequest([{ traceId: hex(16), spanId: hex(8), attrs: [['blob', { s: 'x'.repeat(300 * 1024) }]] }]);
    expect((await call('trace', big)).err?.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
  });

  it('takes gzip-compressed messages', async () => {
    const gz = new Client(t.grpcAddress, credentials.createInsecure(), { 'grpc.default_compression_algorithm': 2 });
    const traceId = hex(16);
    const body = traceRequest([{ traceId, spanId: hex(8), attrs: [['text', { s: 'compress me '.repeat(1000) }]] }]);
    expect(gzipSync(body).length).toBeLessThan(body.length / 10);
    const err = await new Promise<ServiceError | null>((resolve) =>
      gz.makeUnaryRequest(
        '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
        (b: Buffer) => b,
        (b: Buffer) => b,
        body,
        new Metadata(),
        (e) => resolve(e),
      ),
    );
    gz.close();
    expect(err).toBeNull();
    const [r] = await t.store.storage.query<{ n: string }>(
      sql`SELECT count() AS n FROM ${t.store.storage.table(T.otelTraces)} WHERE TraceId = ${p.string(traceId)}`,
    );
    expect(r?.n).toBe('1');
  });

  it('serves the logs Export service', async () => {
    const body = new PB()
      .msg(1, (rl) =>
        rl.msg(2, (sl) => sl.msg(2, (lr) => keyValue(lr.fixed64(1, 1n).hex(9, hex(16)), 6, 'k', { s: 'v' }))),
      )
      .finish();
    const { err, res } = await call('logs', body);
    expect(err).toBeNull();
    expect(decodeLogsResponse(res ?? Buffer.alloc(0))).toEqual({});
  });
});
