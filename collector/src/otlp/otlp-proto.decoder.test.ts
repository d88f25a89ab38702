import { describe, expect, it } from 'vitest';
import { hex, keyValue, PB, span, traceRequest, type AttrValue } from '../../test/support/proto-builder.js';
import { Redactor } from '../redaction/redactor.js';
import { OtlpDecodeError } from './decoded-batch.js';
import { decodeLogsProto, decodeTracesProto } from './otlp-proto.decoder.js';

const redactor = new Redactor();
const rowsOf = (body: Buffer) => {
  const b = decodeTracesProto(body, redactor);
  return {
    ...b,
    list: b.rows
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
};
const T = '5b8efff798038103d269b633813fc60c';
const S = 'eee19b7ec3c1b174';

describe('decodeTracesProto', () => {
  it('maps every column as the contrib exporter does', () => {
    const { list, accepted, rejected } = rowsOf(
      traceRequest(
        [
          {
            traceId: T,
            spanId: S,
            parentSpanId: 'eee19b7ec3c1b173',
            name: 'chat',
            kind: 3,
            start: 1_544_712_660_000_000_001n,
            end: 1_544_712_661_000_000_000n,
            statusCode: 2,
            statusMessage: 'boom',
            attrs: [
              ['s', { s: 'text' }],
              ['b', { b: true }],
              ['i', { i: -42n }],
              ['big', { i: 9223372036854775807n }],
              ['d', { d: 0.1 }],
              ['whole', { d: 3 }],
              ['arr', { arr: [{ s: 'a' }, { i: 1 }, { d: 2.5 }, { b: false }, { empty: true }] }],
              [
                'map',
                {
                  kv: [
                    ['z', { s: '1' }],
                    ['a', { arr: [] }],
                  ],
                },
              ],
              ['bytes', { bytes: Buffer.from([0, 1, 2, 250]) }],
              ['empty', { empty: true }],
            ],
          },
        ],
        [
          ['service.name', { s: 'svc' }],
          ['host.cpus', { i: 4 }],
        ],
      ),
    );
    expect({ accepted, rejected }).toEqual({ accepted: 1, rejected: 0 });
    expect(list[0]).toEqual({
      Timestamp: '1544712660.000000001',
      TraceId: T,
      SpanId: S,
      ParentSpanId: 'eee19b7ec3c1b173',
      TraceState: '',
      SpanName: 'chat',
      SpanKind: 'Client',
      ServiceName: 'svc',
      ResourceAttributes: { 'service.name': 'svc', 'host.cpus': '4' },
      ScopeName: 'scope',
      ScopeVersion: '1.0',
      SpanAttributes: {
        s: 'text',
        b: 'true',
        i: '-42',
        big: '9223372036854775807',
        d: '0.1',
        whole: '3',
        arr: '["a",1,2.5,false,null]',
        map: '{"a":[],"z":"1"}',
        bytes: 'AAEC+g==',
        empty: '',
      },
      Duration: '999999999',
      StatusCode: 'Error',
      StatusMessage: 'boom',
      'Events.Timestamp': [],
      'Events.Name': [],
      'Events.Attributes': [],
      'Links.TraceId': [],
      'Links.SpanId': [],
      'Links.TraceState': [],
      'Links.Attributes': [],
    });
  });

  it('reads fields in any order: a resource after its spans, a scope after its spans', () => {
    const body = new PB()
      .msg(1, (rs) =>
        rs
          .msg(2, (ss) =>
            ss.msg(2, (sp) => span(sp, { traceId: T, spanId: S })).msg(1, (sc) => sc.string(1, 'late-scope')),
          )
          .string(3, 'https://opentelemetry.io/schemas/1.26.0')
          .msg(1, (r) => keyValue(r, 1, 'service.name', { s: 'late-service' })),
      )
      .finish();
    const { list } = rowsOf(body);
    expect(list[0]).toMatchObject({ ServiceName: 'late-service', ScopeName: 'late-scope' });
  });

  it('keeps duplicate attribute keys in wire order and takes ServiceName from the first service.name', () => {
    const { rows } = rowsOf(
      traceRequest(
        [
          {
            traceId: T,
            spanId: S,
            attrs: [
              ['k', { s: '1' }],
              ['k', { s: '2' }],
            ],
          },
        ],
        [
          ['service.name', { i: 7 }],
          ['service.name', { s: 'second' }],
        ],
      ),
    );
    expect(rows).toContain('"ServiceName":"7"');
    expect(rows).toContain('"SpanAttributes":{"k":"1","k":"2"}');
  });

  it('ignores unknown fields of every wire type', () => {
    const body = new PB()
      .varint(99, 5)
      .msg(1, (rs) =>
        rs.fixed32(77, 1).msg(2, (ss) =>
          ss.msg(2, (sp) => {
            span(sp, { traceId: T, spanId: S });
            sp.fixed64(90, 1n).string(91, 'x').varint(92, 1).fixed32(93, 2);
          }),
        ),
      )
      .finish();
    expect(rowsOf(body).accepted).toBe(1);
  });

  it('rejects spans without ids or with times past DateTime64, as a partial success', () => {
    const b = rowsOf(
      traceRequest([
        { traceId: T, spanId: S },
        { traceId: '00'.repeat(16), spanId: S },
        { spanId: S },
        { traceId: T, spanId: '0000000000000000' },
        { traceId: T, spanId: S, start: 1n << 63n },
      ]),
    );
    expect(b.accepted).toBe(1);
    expect(b.rejected).toBe(4);
    expect(b.rejectedReason).toBe(
      '2 spans with an empty or all-zero trace id; 1 spans with an empty or all-zero span id; ' +
        '1 spans with a time past 2262-04-11 (the DateTime64 range) were rejected',
    );
  });

  it.each([
    ['a trace id of the wrong length', traceRequest([{ traceId: 'abcd', spanId: S }])],
    ['a span id of the wrong length', traceRequest([{ traceId: T, spanId: hex(9) }])],
    ['a truncated body', traceRequest([{ traceId: T, spanId: S }]).subarray(0, 30)],
    ['a length past the end', Buffer.from([0x0a, 0xff, 0x01, 0x00])],
    ['a wrong wire type for a known field', new PB().varint(1, 5).finish()],
    ['field number zero', Buffer.from([0x00, 0x01])],
    ['an unterminated varint', Buffer.from([0x0a, 0x80, 0x80])],
    ['an invalid wire type', Buffer.from([0x0f])],
  ])('refuses %s with OtlpDecodeError', (_what, body) => {
    expect(() => decodeTracesProto(body, redactor)).toThrow(OtlpDecodeError);
  });

  it('refuses values nested deeper than 64 levels instead of recursing without end', () => {
    let v: AttrValue = { s: 'leaf' };
    for (let i = 0; i < 200; i++) v = { arr: [v] };
    expect(() => decodeTracesProto(traceRequest([{ traceId: T, spanId: S, attrs: [['deep', v]] }]), redactor)).toThrow(
      /nested deeper/,
    );
  });

  it('decodes an empty request to nothing', () => {
    expect(decodeTracesProto(Buffer.alloc(0), redactor)).toMatchObject({ accepted: 0, rejected: 0, rows: '' });
  });

  it('writes events and links as nested arrays', () => {
    const body = new PB()
      .msg(1, (rs) =>
        rs.msg(2, (ss) =>
          ss.msg(2, (sp) => {
            span(sp, { traceId: T, spanId: S });
            sp.msg(11, (e) => keyValue(e.fixed64(1, 1_700_000_000_000_000_123n).string(2, 'ev'), 3, 'x', { i: 1 }));
            sp.msg(11, (e) => e.string(2, 'ev2'));
            sp.msg(13, (l) => keyValue(l.hex(1, T).hex(2, S).string(3, 'k=v').fixed32(6, 1), 4, 'y', { b: false }));
          }),
        ),
      )
      .finish();
    expect(rowsOf(body).list[0]).toMatchObject({
      'Events.Timestamp': ['1700000000.000000123', '0000000000.000000000'],
      'Events.Name': ['ev', 'ev2'],
      'Events.Attributes': [{ x: '1' }, {}],
      'Links.TraceId': [T],
      'Links.SpanId': [S],
      'Links.TraceState': ['k=v'],
      'Links.Attributes': [{ y: 'false' }],
    });
  });

  it('redacts attribute values, status messages and secret-named attributes', () => {
    const { list } = rowsOf(
      traceRequest([
        {
          traceId: T,
          spanId: S,
          statusMessage: 'auth failed for Bearer abcdefghijklmnopqrstu',
          attrs: [
            [
              'gen_ai.input.messages',
              { s: '[{"role":"user","parts":[{"type":"text","content":"use sk-abcdefghijklmnopqrstuvwx"}]}]' },
            ],
            ['http.request.header.authorization', { arr: [{ s: 'Basic abc' }] }],
          ],
        },
      ]),
    );
    expect(list[0]?.['StatusMessage']).toBe('auth failed for Bearer [REDACTED:bearer]');
    expect(list[0]?.['SpanAttributes']).toEqual({
      'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"use [REDACTED:api_key]"}]}]',
      'http.request.header.authorization': '[REDACTED:bearer]',
    });
  });
});

describe('decodeLogsProto', () => {
  it('maps log records as the contrib exporter does (observed time when the time is 0)', () => {
    const body = new PB()
      .msg(1, (rl) =>
        rl
          .msg(1, (r) => keyValue(r, 1, 'service.name', { s: 'svc' }))
          .string(3, 'https://res')
          .msg(2, (sl) =>
            sl
              .msg(1, (sc) => keyValue(sc.string(1, 'lib').string(2, '2'), 3, 'scope.attr', { d: 1.5 }))
              .string(3, 'https://scope')
              .msg(2, (lr) =>
                keyValue(
                  lr
                    .fixed64(11, 1_700_000_000_000_000_007n)
                    .varint(2, 17)
                    .string(3, 'ERROR')
                    .msg(5, (b) =>
                      b.msg(6, (kv) => kv.msg(1, (e) => e.string(1, 'content').msg(2, (v) => v.string(1, 'hi')))),
                    )
                    .fixed32(8, 0x101)
                    .hex(9, T)
                    .hex(10, S)
                    .string(12, 'gen_ai.user.message'),
                  6,
                  'gen_ai.system',
                  { s: 'openai' },
                ),
              ),
          ),
      )
      .finish();
    const b = decodeLogsProto(body, redactor);
    expect(JSON.parse(b.rows)).toEqual({
      Timestamp: '1700000000.000000007',
      TraceId: T,
      SpanId: S,
      TraceFlags: 1,
      SeverityText: 'ERROR',
      SeverityNumber: 17,
      ServiceName: 'svc',
      Body: '{"content":"hi"}',
      ResourceSchemaUrl: 'https://res',
      ResourceAttributes: { 'service.name': 'svc' },
      ScopeSchemaUrl: 'https://scope',
      ScopeName: 'lib',
      ScopeVersion: '2',
      ScopeAttributes: { 'scope.attr': '1.5' },
      LogAttributes: { 'gen_ai.system': 'openai' },
      EventName: 'gen_ai.user.message',
    });
  });
});
