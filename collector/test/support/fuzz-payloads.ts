/**
 * Random and mutated OTLP payloads for the fuzz test: well-formed requests of both signals and
 * encodings with random attribute values, then bit flips, truncations, insertions, splices,
 * garbage, and JSON type confusion. Deterministic for a given seed.
 */
import { gzipSync } from 'node:zlib';
import { anyValue, keyValue, PB, span, type AttrValue } from './proto-builder.js';

export type Rng = () => number;

/** mulberry32: a small seeded PRNG. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (r: Rng, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[int(r, xs.length)] as T;
const hexOf = (r: Rng, bytes: number) =>
  Array.from({ length: bytes }, () => int(r, 256).toString(16).padStart(2, '0')).join('');

const STRINGS = ['', 'x', 'chat', '💥', '\u0000', 'a"b\\c', '\n', '\ud83d', '[', '{"a":', 'null', '-1', '1e999', 'NaN'];
const KEYS = [
  'gen_ai.operation.name',
  'gen_ai.request.model',
  'gen_ai.usage.input_tokens',
  'gen_ai.input.messages',
  'k',
  '',
  'service.name',
];

function randomValue(r: Rng, depth = 0): AttrValue {
  switch (int(r, depth > 2 ? 5 : 8)) {
    case 0:
      return { s: pick(r, STRINGS) + (r() < 0.05 ? 'y'.repeat(int(r, 5000)) : '') };
    case 1:
      return { b: r() < 0.5 };
    case 2:
      return { i: pick(r, [0n, -1n, 1n << 62n, -(1n << 63n), BigInt(int(r, 1e6))]) };
    case 3:
      return { d: pick(r, [0, -0, 0.1, 1e21, 1e-7, NaN, Infinity, -Infinity, r() * 1e6]) };
    case 4:
      return { bytes: Buffer.from(hexOf(r, int(r, 10)), 'hex') };
    case 5:
      return { arr: Array.from({ length: int(r, 4) }, () => randomValue(r, depth + 1)) };
    case 6:
      return {
        kv: Array.from({ length: int(r, 4) }, () => [pick(r, KEYS), randomValue(r, depth + 1)] as [string, AttrValue]),
      };
    default:
      return { empty: true };
  }
}

const NOW_NS = BigInt(Date.now()) * 1_000_000n;

/** Mostly the last hour; sometimes any time at all (0, far past, past 2262). */
function time(r: Rng): bigint {
  if (r() < 0.97) return NOW_NS - BigInt(int(r, 3.6e12));
  return pick(r, [0n, 1n, BigInt(Math.floor(r() * 2 ** 62)), (1n << 63n) + 5n, (1n << 64n) - 1n]);
}

function protoTraces(r: Rng): Buffer {
  return new PB()
    .msg(1, (rs) =>
      rs
        .msg(1, (res) => keyValue(res, 1, 'service.name', { s: 'fuzz' }))
        .msg(2, (ss) => {
          for (let i = 0; i < 1 + int(r, 4); i++)
            ss.msg(2, (sp) =>
              span(sp, {
                traceId: r() < 0.9 ? hexOf(r, 16) : hexOf(r, pick(r, [0, 16, 8])),
                spanId: r() < 0.9 ? hexOf(r, 8) : '',
                name: pick(r, STRINGS),
                kind: int(r, 8),
                start: time(r),
                end: time(r),
                statusCode: int(r, 4),
                attrs: [
                  ['gen_ai.operation.name', { s: 'chat' }],
                  ...Array.from({ length: int(r, 6) }, () => [pick(r, KEYS), randomValue(r)] as [string, AttrValue]),
                ],
              }),
            );
        }),
    )
    .finish();
}

function protoLogs(r: Rng): Buffer {
  return new PB()
    .msg(1, (rl) =>
      rl.msg(2, (sl) =>
        sl.msg(2, (lr) => {
          lr.fixed64(1, time(r)).varint(2, int(r, 300));
          lr.msg(5, (b) => anyValue(b, randomValue(r)));
          if (r() < 0.7) lr.hex(9, hexOf(r, 16));
          lr.string(12, pick(r, ['gen_ai.user.message', 'gen_ai.choice', '', 'x']));
          for (let i = 0; i < int(r, 4); i++) keyValue(lr, 6, pick(r, KEYS), randomValue(r));
        }),
      ),
    )
    .finish();
}

function jsonTraces(r: Rng): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'fuzz-json' } }] },
        scopeSpans: [
          {
            spans: Array.from({ length: 1 + int(r, 3) }, () => ({
              traceId: hexOf(r, 16),
              spanId: hexOf(r, 8),
              name: pick(r, STRINGS),
              kind: int(r, 6),
              startTimeUnixNano: String(time(r)),
              endTimeUnixNano: Number(time(r)),
              attributes: [
                { key: 'gen_ai.input.messages', value: { stringValue: pick(r, STRINGS) } },
                { key: 'i', value: { intValue: pick(r, ['1', 2, '-9223372036854775808']) } },
                { key: 'd', value: { doubleValue: pick(r, [1.5, 'NaN', 'Infinity', -0]) } },
              ],
            })),
          },
        ],
      },
    ],
  });
}

function mutateBytes(r: Rng, b: Buffer): Buffer {
  const out = Buffer.from(b);
  switch (int(r, 6)) {
    case 0: // bit flips
      for (let i = 0; i < 1 + int(r, 8) && out.length > 0; i++) {
        const at = int(r, out.length);
        out[at] = (out[at] ?? 0) ^ (1 << int(r, 8));
      }
      return out;
    case 1: // truncate
      return out.subarray(0, int(r, out.length));
    case 2: // insert random bytes
      return Buffer.concat([out.subarray(0, int(r, out.length)), Buffer.from(hexOf(r, 1 + int(r, 16)), 'hex'), out]);
    case 3: // duplicate a slice
      return Buffer.concat([out, out.subarray(int(r, out.length))]);
    case 4: // overwrite a varint-looking byte with a huge length
      if (out.length > 2) out.writeUInt8(0xff, int(r, out.length - 1));
      return out;
    default: // garbage
      return Buffer.from(hexOf(r, int(r, 200)), 'hex');
  }
}

function mutateJson(r: Rng, s: string): string {
  switch (int(r, 5)) {
    case 0:
      return s.slice(0, int(r, s.length));
    case 1: {
      const i = int(r, s.length);
      return s.slice(0, i) + pick(r, ['"', '{', ']', ',', '\\u', 'null', '1e999', '-']) + s.slice(i + 1);
    }
    case 2:
      return s.replace(/"[0-9a-f]{16,32}"/, pick(r, ['123', '"XYZ"', '{}', '[]', 'null', '"0000"']));
    case 3:
      return s.replace(
        /"stringValue":"[^"]*"/,
        pick(r, ['"stringValue":5', '"intValue":"1.5"', '"arrayValue":{"values":{}}', '"kvlistValue":[]']),
      );
    default:
      return s.replace('resourceSpans', pick(r, ['resource_spans', 'ResourceSpans', 'resourceSpans":{},"x']));
  }
}

export interface FuzzCase {
  readonly path: '/v1/traces' | '/v1/logs';
  readonly contentType: string;
  readonly encoding?: 'gzip';
  readonly body: Buffer;
}

export function fuzzCase(r: Rng, maxBody: number): FuzzCase {
  const roll = r();
  let c: FuzzCase;
  if (roll < 0.45) {
    const logs = r() < 0.3;
    const base = logs ? protoLogs(r) : protoTraces(r);
    c = {
      path: logs ? '/v1/logs' : '/v1/traces',
      contentType: 'application/x-protobuf',
      body: r() < 0.4 ? base : mutateBytes(r, base),
    };
  } else if (roll < 0.85) {
    const base = jsonTraces(r);
    c = {
      path: '/v1/traces',
      contentType: 'application/json',
      body: Buffer.from(r() < 0.4 ? base : mutateJson(r, base)),
    };
  } else if (roll < 0.93) {
    c = {
      path: pick(r, ['/v1/traces', '/v1/logs'] as const),
      contentType: pick(r, ['text/plain', 'application/xml', '']),
      body: Buffer.from('x'),
    };
  } else if (roll < 0.99) {
    // A gzip bomb: a few kB that inflate past the limit.
    return {
      path: '/v1/traces',
      contentType: 'application/x-protobuf',
      encoding: 'gzip',
      body: gzipSync(Buffer.alloc(maxBody + 1 + int(r, maxBody))),
    };
  } else {
    c = {
      path: '/v1/traces',
      contentType: 'application/x-protobuf',
      body: Buffer.alloc(maxBody + 1 + int(r, 1000), int(r, 256)),
    };
  }
  if (r() < 0.15 && c.body.length <= maxBody) {
    const gz = gzipSync(c.body);
    return { ...c, encoding: 'gzip', body: r() < 0.3 ? mutateBytes(r, gz) : gz };
  }
  return c;
}
