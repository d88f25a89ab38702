import { describe, expect, it } from 'vitest';
import { traceRequest } from '../../test/support/proto-builder.js';
import { Redactor } from '../redaction/redactor.js';
import { OtlpDecodeError } from './decoded-batch.js';
import { decodeLogsJson, decodeTracesJson } from './otlp-json.decoder.js';
import { decodeTracesProto } from './otlp-proto.decoder.js';

const redactor = new Redactor();
const T = '5B8EFFF798038103D269B633813FC60C';
const S = 'EEE19B7EC3C1B174';

function request(spanFields: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
        scopeSpans: [
          { scope: { name: 'scope', version: '1.0' }, spans: [{ traceId: T, spanId: S, name: 'span', ...spanFields }] },
        ],
        ...extra,
      },
    ],
  });
}

const first = (body: string) =>
  JSON.parse(decodeTracesJson(body, redactor).rows.split('\n')[0] ?? '{}') as Record<string, unknown>;

describe('decodeTracesJson', () => {
  it('reads hex ids in any case, int64 as strings or numbers, and enum integers', () => {
    const row = first(
      request({
        parentSpanId: 'eee19b7ec3c1b173',
        kind: 2,
        startTimeUnixNano: '1544712660000000000',
        endTimeUnixNano: 1544712661000000000,
        status: { code: 1 },
        attributes: [
          { key: 'i1', value: { intValue: '10' } },
          { key: 'i2', value: { intValue: 10 } },
          { key: 'i3', value: { intValue: '-9223372036854775808' } },
          { key: 'd', value: { doubleValue: 637.704 } },
          { key: 'nan', value: { doubleValue: 'NaN' } },
          { key: 'inf', value: { doubleValue: '-Infinity' } },
          { key: 'bytes', value: { bytesValue: 'AAEC+g==' } },
          { key: 'arr', value: { arrayValue: { values: [{ stringValue: 'many' }, { intValue: '1' }] } } },
          { key: 'map', value: { kvlistValue: { values: [{ key: 'b', value: { boolValue: true } }, { key: 'a' }] } } },
        ],
      }),
    );
    expect(row).toMatchObject({
      TraceId: T.toLowerCase(),
      SpanId: S.toLowerCase(),
      ParentSpanId: 'eee19b7ec3c1b173',
      SpanKind: 'Server',
      Timestamp: '1544712660.000000000',
      Duration: '1000000000',
      StatusCode: 'Ok',
      SpanAttributes: {
        i1: '10',
        i2: '10',
        i3: '-9223372036854775808',
        d: '637.704',
        nan: 'NaN',
        inf: '-Infinity',
        bytes: 'AAEC+g==',
        arr: '["many",1]',
        map: '{"a":null,"b":true}',
      },
    });
  });

  it('gives the same row as the protobuf path for the same span', () => {
    const proto = decodeTracesProto(
      traceRequest([
        {
          traceId: T.toLowerCase(),
          spanId: S.toLowerCase(),
          name: 'span',
          kind: 3,
          start: 1_700_000_000_000_000_000n,
          end: 1_700_000_000_500_000_000n,
          attrs: [['x', { arr: [{ d: 1.5 }, { s: 'y' }] }]],
        },
      ]),
      redactor,
    ).rows;
    const json = decodeTracesJson(
      request({
        kind: 3,
        startTimeUnixNano: '1700000000000000000',
        endTimeUnixNano: '1700000000500000000',
        attributes: [{ key: 'x', value: { arrayValue: { values: [{ doubleValue: 1.5 }, { stringValue: 'y' }] } } }],
      }),
      redactor,
    ).rows;
    expect(json).toBe(proto);
  });

  it('accepts snake_case keys and enum names, and ignores unknown fields', () => {
    const body = JSON.stringify({
      resource_spans: [
        {
          unknownThing: { a: 1 },
          scope_spans: [
            {
              spans: [
                {
                  trace_id: T,
                  span_id: S,
                  kind: 'SPAN_KIND_CONSUMER',
                  start_time_unix_nano: '5',
                  extra: [1, 2],
                  status: { code: 'STATUS_CODE_ERROR' },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(first(body)).toMatchObject({ SpanKind: 'Consumer', StatusCode: 'Error', Timestamp: '0000000000.000000005' });
  });

  it('replaces lone surrogates so ClickHouse can read the row', () => {
    const row = first(
      request({ name: 'bad \ud800 name', attributes: [{ key: 'k', value: { stringValue: 'x\udc00' } }] }),
    );
    expect(row['SpanName']).toBe('bad \ufffd name');
    expect(row['SpanAttributes']).toEqual({ k: 'x\ufffd' });
  });

  it.each([
    ['invalid JSON', '{"resourceSpans": ['],
    ['a non-object request', '[1,2]'],
    ['a trace id that is not hex', request({ traceId: 'zz'.repeat(16) })],
    ['a trace id of the wrong length', request({ traceId: 'abcd' })],
    ['a span id of the wrong length', request({ spanId: 'abc' })],
    ['a base64 trace id (the proto3 default, not OTLP)', request({ traceId: 'W47/95gDgQPSabYzgT/GDA==' })],
    ['a negative time', request({ startTimeUnixNano: '-5' })],
    ['a time that is not a number', request({ startTimeUnixNano: 'soon' })],
    ['spans that are not an array', JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: {} }] }] })],
    ['an intValue that is not an integer', request({ attributes: [{ key: 'k', value: { intValue: 1.5 } }] })],
    ['a kind that is not an enum', request({ kind: 'server' })],
  ])('refuses %s with OtlpDecodeError', (_what, body) => {
    expect(() => decodeTracesJson(body, redactor)).toThrow(OtlpDecodeError);
  });

  it('decodes an empty request to nothing', () => {
    expect(decodeTracesJson('{}', redactor)).toMatchObject({ accepted: 0, rejected: 0 });
    expect(decodeTracesJson('{"resourceSpans":[]}', redactor)).toMatchObject({ accepted: 0, rejected: 0 });
  });
});

describe('decodeLogsJson', () => {
  it('maps the official logs example', () => {
    const body = JSON.stringify({
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'my.service' } }] },
          scopeLogs: [
            {
              scope: { name: 'my.library', version: '1.0.0', attributes: [{ key: 'a', value: { stringValue: 'b' } }] },
              logRecords: [
                {
                  timeUnixNano: '0',
                  observedTimeUnixNano: '1544712660300000000',
                  severityNumber: 10,
                  severityText: 'Information',
                  traceId: T,
                  spanId: S,
                  flags: 1,
                  body: { stringValue: 'Example log record' },
                  eventName: 'browser.page_view',
                },
              ],
            },
          ],
        },
      ],
    });
    expect(JSON.parse(decodeLogsJson(body, redactor).rows)).toMatchObject({
      Timestamp: '1544712660.300000000',
      SeverityNumber: 10,
      SeverityText: 'Information',
      TraceFlags: 1,
      Body: 'Example log record',
      ScopeAttributes: { a: 'b' },
      EventName: 'browser.page_view',
    });
  });
});
