/** Redaction before storage, end to end: secrets by default, personal data when KAIZEN_REDACT_PII is set. */
import { p, sql, T } from '@kaizen/clickhouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hex, keyValue, PB, traceRequest } from './support/proto-builder.js';
import { metricValue, startTestCollector, type TestCollector } from './support/test-collector.js';

let t: TestCollector;
beforeAll(async () => {
  t = await startTestCollector({ KAIZEN_REDACT_PII: 'true' });
});
afterAll(async () => {
  await t.close();
});

const post = (path: string, body: Buffer) =>
  fetch(`${t.httpUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body });

describe('redaction', () => {
  it('stores message content, attributes and log bodies without secrets or personal data, and counts each', async () => {
    const traceId = hex(16);
    const content = JSON.stringify([
      {
        role: 'user',
        parts: [
          { type: 'text', content: 'I am jane@example.com, card 4111 1111 1111 1111, key sk-abcdefghijklmnopqrstuvwx' },
        ],
      },
    ]);
    expect(
      (
        await post(
          '/v1/traces',
          traceRequest([
            {
              traceId,
              spanId: hex(8),
              attrs: [
                ['gen_ai.input.messages', { s: content }],
                ['http.request.header.authorization', { s: 'Bearer abcdefghijklmnopqrstuv' }],
                ['user.phone', { s: '+1 415 555 0132' }],
              ],
            },
          ]),
        )
      ).status,
    ).toBe(200);
    const logs = new PB()
      .msg(1, (rl) =>
        rl.msg(2, (sl) =>
          sl.msg(2, (lr) =>
            keyValue(lr.fixed64(1, 1_700_000_000_000_000_000n).hex(9, traceId), 6, 'k', { s: 'v' }).msg(5, (b) =>
              b.string(1, 'login from bob@example.org with Bearer zyxwvutsrqponmlk'),
            ),
          ),
        ),
      )
      .finish();
    expect((await post('/v1/logs', logs)).status).toBe(200);

    const [span] = await t.store.storage.query<{ SpanAttributes: Record<string, string> }>(
      sql`SELECT SpanAttributes FROM ${t.store.storage.table(T.otelTraces)} WHERE TraceId = ${p.string(traceId)}`,
    );
    expect(span?.SpanAttributes).toEqual({
      'gen_ai.input.messages': JSON.stringify([
        {
          role: 'user',
          parts: [{ type: 'text', content: 'I am [REDACTED:email], card [REDACTED:card], key [REDACTED:api_key]' }],
        },
      ]),
      'http.request.header.authorization': '[REDACTED:bearer]',
      'user.phone': '[REDACTED:phone]',
    });
    const [log] = await t.store.storage.query<{ Body: string }>(
      sql`SELECT Body FROM ${t.store.storage.table(T.otelLogs)} WHERE TraceId = ${p.string(traceId)}`,
    );
    expect(log?.Body).toBe('login from [REDACTED:email] with Bearer [REDACTED:bearer]');
    const count = (kind: string) => metricValue(t.registry, 'kaizen_collector_redactions_total', { kind });
    expect([
      await count('email'),
      await count('card'),
      await count('api_key'),
      await count('bearer'),
      await count('phone'),
    ]).toEqual([2, 1, 1, 2, 1]);
  });
});
