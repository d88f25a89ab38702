import type { Json } from './messages.js';

/** Appended to every string the limit shortened, so a reader sees the cut. */
export const TRUNCATION_MARK = '…[truncated]';

export interface Serialized {
  readonly json: string;
  readonly truncated: boolean;
}

/**
 * JSON for a content attribute, at most `maxLength` characters and always valid JSON: strings are
 * shortened first (the longest ones, down to a common cap, each marked with TRUNCATION_MARK),
 * then, if the structure alone is still too long, messages are dropped from the middle of the
 * list, replaced by one message that says how many were left out. The semantic conventions allow
 * truncating contents as long as the JSON stays valid; an SDK attribute-length limit would cut the
 * JSON mid-string instead.
 */
export function serializeBounded(value: Json, maxLength: number): Serialized {
  const json = JSON.stringify(value);
  if (json.length <= maxLength) return { json, truncated: false };
  const longest = longestString(value);
  let fitted = fitStrings(value, maxLength, longest);
  if (fitted !== undefined) return { json: fitted, truncated: true };
  if (!Array.isArray(value)) return { json: JSON.stringify(TRUNCATION_MARK), truncated: true };
  // Even empty strings do not fit: drop messages from the middle, keeping the first and the last.
  let kept = value;
  for (let omitted = 1; omitted < value.length; omitted++) {
    const head = Math.ceil((value.length - omitted) / 2);
    const tail = value.length - omitted - head;
    kept = [...value.slice(0, head), omissionMessage(value[head], omitted), ...value.slice(value.length - tail)];
    fitted = fitStrings(kept, maxLength, longest);
    if (fitted !== undefined) return { json: fitted, truncated: true };
  }
  return { json: '[]', truncated: true };
}

function omissionMessage(first: Json | undefined, omitted: number): Json {
  const role = typeof first === 'object' && first !== null && !Array.isArray(first) ? first['role'] : undefined;
  return {
    role: typeof role === 'string' ? role : 'user',
    parts: [{ type: 'text', content: `${TRUNCATION_MARK} ${omitted} message(s) left out` }],
  };
}

/** The JSON with every string capped at the largest cap that fits, or undefined if none does. */
function fitStrings(value: Json, maxLength: number, longest: number): string | undefined {
  let lo = 0;
  let hi = longest;
  let best: string | undefined;
  const first = JSON.stringify(capStrings(value, 0));
  if (first.length > maxLength) return undefined;
  best = first;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const json = JSON.stringify(capStrings(value, mid));
    if (json.length <= maxLength) {
      best = json;
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}

function capStrings(value: Json, cap: number): Json {
  if (typeof value === 'string') return capString(value, cap);
  if (Array.isArray(value)) return value.map((v) => capStrings(v, cap));
  if (value === null || typeof value !== 'object') return value;
  const out: { [key: string]: Json } = {};
  for (const key of Object.keys(value)) out[key] = capStrings(value[key] ?? null, cap);
  return out;
}

function capString(s: string, cap: number): string {
  // Short strings, and our own notes (they start with the mark), are kept whole.
  if (s.length <= cap + TRUNCATION_MARK.length || s.startsWith(TRUNCATION_MARK)) return s;
  let end = cap;
  // Never split a surrogate pair.
  const code = s.charCodeAt(end - 1);
  if (end > 0 && code >= 0xd800 && code <= 0xdbff) end--;
  return s.slice(0, end) + TRUNCATION_MARK;
}

function longestString(value: Json): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.reduce<number>((m, v) => Math.max(m, longestString(v)), 0);
  if (value === null || typeof value !== 'object') return 0;
  let m = 0;
  for (const key of Object.keys(value)) m = Math.max(m, longestString(value[key] ?? null));
  return m;
}
