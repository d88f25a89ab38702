import { Redactor } from '@kaizen/collector';

/** How much of each string a tool result keeps. */
export interface CompactOptions {
  readonly maxString: number;
}

const secrets = new Redactor({ secrets: true, pii: false });

/**
 * A tool result an agent can afford to read and must not leak from: strings longer than
 * `maxString` are cut (saying how much was cut), and anything that looks like a secret (API keys,
 * bearer tokens, JWTs, private keys, values of secret-named fields) is replaced by a marker, even
 * when the store holds it because redaction at ingest was off.
 */
export function compact(value: unknown, opts: CompactOptions, key = ''): unknown {
  if (typeof value === 'string') return cut(key ? secrets.attribute(key, value) : secrets.text(value), opts.maxString);
  if (Array.isArray(value)) return value.map((v) => compact(v, opts));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = compact(v, opts, k);
    return out;
  }
  return value;
}

function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${s.slice(0, max)}…[${s.length - max} more characters]`;
}
