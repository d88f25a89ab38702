import type { CallRecord } from '../analysis.types.js';

/** "$0.0123", "$1.24", "$0.000041": enough digits to be meaningful at any scale. */
export function usd(value: number): string {
  const v = Math.abs(value);
  if (v === 0) return '$0';
  if (v >= 100) return `$${value.toFixed(0)}`;
  if (v >= 1) return `$${value.toFixed(2)}`;
  const digits = Math.min(8, Math.max(2, 1 - Math.floor(Math.log10(v)) + 1));
  return `$${value.toFixed(digits)}`;
}

/** "#3" — a call's position in its run (1-based), as the trace view shows it. */
export function ref(call: CallRecord): string {
  return `#${call.index + 1}`;
}

/** "#3, #7 and #12" (at most `max` named, then "and N more"). */
export function refs(calls: readonly CallRecord[], max = 6): string {
  const named = calls.slice(0, max).map(ref);
  const more = calls.length - named.length;
  if (more > 0) return `${named.join(', ')} and ${more} more`;
  if (named.length <= 1) return named.join('');
  return `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]!}`;
}

/** "1,234 tokens". */
export function tokens(n: number): string {
  return `${Math.round(n).toLocaleString('en-US')} tokens`;
}

/** The first `max` characters of a text on one line, for evidence. */
export function snippet(text: string, max = 80): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

export function round(n: number, digits = 8): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** The model a call used (response model when known). */
export function modelOf(call: CallRecord): string {
  return call.responseModel !== '' ? call.responseModel : call.requestModel;
}

export function uniqueModels(calls: readonly CallRecord[]): string[] {
  return [...new Set(calls.map(modelOf).filter((m) => m !== ''))];
}
