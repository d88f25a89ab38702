import { diag } from '@opentelemetry/api';

/**
 * The one place this package reads the environment for its own settings (register() reads the
 * standard OTEL_* exporter variables through the OpenTelemetry SDK).
 */

export type Env = Readonly<Record<string, string | undefined>>;

/** Characters per content attribute when nothing else says: large prompts, bounded spans. */
export const DEFAULT_MAX_CONTENT_LENGTH = 64 * 1024;

const ON = new Set(['true', '1', 'yes', 'on', 'span_only', 'span_and_event']);
const OFF = new Set(['false', '0', 'no', 'off', 'none', 'no_content', 'event_only']);

function flag(env: Env, name: string): boolean | undefined {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return undefined;
  if (ON.has(raw)) return true;
  if (OFF.has(raw)) return false;
  diag.warn(`@kaizen/instrumentation: ignoring ${name}=${env[name]} (expected true or false)`);
  return undefined;
}

/**
 * Whether to capture message content. Either variable set to false turns capture off, whatever
 * the code asked (the operator's privacy switch); otherwise the code's choice, then a variable set
 * to true, then `fallback`.
 */
export function resolveCaptureContent(explicit: boolean | undefined, fallback: boolean, env: Env): boolean {
  const kaizen = flag(env, 'KAIZEN_CAPTURE_CONTENT');
  const otel = flag(env, 'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT');
  if (kaizen === false || otel === false) return false;
  return explicit ?? kaizen ?? otel ?? fallback;
}

/** The content limit: the code's value, else 64 KiB, lowered to an OTel attribute length limit if one is set. */
export function resolveMaxContentLength(explicit: number | undefined, env: Env): number {
  if (explicit !== undefined && Number.isInteger(explicit) && explicit > 0) return explicit;
  const limit = Number(env['OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT'] ?? env['OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT']);
  return Number.isInteger(limit) && limit > 0
    ? Math.min(limit, DEFAULT_MAX_CONTENT_LENGTH)
    : DEFAULT_MAX_CONTENT_LENGTH;
}

export function processEnv(): Env {
  return typeof process === 'object' ? process.env : {};
}
