import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { DecodedSpan } from './otlp-proto.decoder.ts';

const JSON_ATTRIBUTES = new Set([
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.system_instructions',
  'gen_ai.tool.definitions',
  'gen_ai.tool.call.arguments',
  'gen_ai.tool.call.result',
]);

/** Values that differ from run to run, replaced by a stable description. */
function stable(key: string, value: unknown): unknown {
  if (key === 'server.port') return typeof value === 'number' && value > 0 ? '<port>' : value;
  if (key === 'gen_ai.response.time_to_first_chunk')
    return typeof value === 'number' && value >= 0 ? '<seconds>' : value;
  if (JSON_ATTRIBUTES.has(key) && typeof value === 'string') return JSON.parse(value) as unknown;
  return value;
}

export interface SpanSnapshot {
  name: string;
  kind: string;
  status: string;
  attributes: Record<string, unknown>;
}

function attributesOf(attributes: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(attributes).sort()) out[key] = stable(key, attributes[key]);
  return out;
}

/** A span as an inline-snapshot-friendly object: name, kind, status and sorted attributes (JSON parsed). */
export function snapshotOf(span: ReadableSpan | DecodedSpan): SpanSnapshot {
  const kind = typeof span.kind === 'number' ? span.kind : 0;
  const isDecoded = 'scope' in span && typeof span.scope === 'string';
  const kindName = isDecoded
    ? (['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'][kind] ?? String(kind))
    : SpanKind[kind];
  const code = span.status.code;
  const statusName = isDecoded ? (['UNSET', 'OK', 'ERROR'][code] ?? String(code)) : SpanStatusCode[code];
  return {
    name: span.name,
    kind: kindName ?? String(kind),
    status: span.status.message ? `${statusName}: ${span.status.message}` : String(statusName),
    attributes: attributesOf(span.attributes),
  };
}
