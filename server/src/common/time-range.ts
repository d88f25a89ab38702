import { z } from 'zod';
import { invalid } from './errors.js';
import { single } from './validation.js';

export interface TimeRange {
  readonly from: Date;
  readonly to: Date;
}

const RELATIVE = /^(\d+)\s*(s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "24h", "7d", "90m" → milliseconds; undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = RELATIVE.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

function parseInstant(text: string, now: number): number | undefined {
  const rel = parseDuration(text);
  if (rel !== undefined) return now - rel;
  if (/^\d{10}(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000); // unix seconds
  if (/^\d{13}$/.test(text)) return Number(text); // unix milliseconds
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

export const MAX_RANGE_MS = 93 * UNIT_MS['d']!;

/**
 * `from`/`to` as ISO 8601, unix seconds/milliseconds or durations back from now ("24h"); `since` is
 * shorthand for from. Every list is time-bounded: the default is the last `defaultMs`, the longest
 * window 93 days.
 */
export function resolveTimeRange(
  q: { from?: string | undefined; to?: string | undefined; since?: string | undefined },
  defaultMs: number,
  now: number = Date.now(),
): TimeRange {
  if (q.since !== undefined && q.from !== undefined) throw invalid('query parameter since', 'use either since or from');
  const fromText = q.since ?? q.from;
  const to = q.to === undefined ? now : parseInstant(q.to, now);
  if (to === undefined)
    throw invalid('query parameter to', 'must be an ISO 8601 time, unix seconds, or a duration like 24h');
  let from = to - defaultMs;
  if (fromText !== undefined) {
    const f = parseInstant(fromText, now);
    if (f === undefined) {
      throw invalid(
        `query parameter ${q.since !== undefined ? 'since' : 'from'}`,
        'must be an ISO 8601 time, unix seconds, or a duration like 24h',
      );
    }
    from = f;
  }
  if (from >= to) throw invalid('query parameter from', 'must be before to');
  if (to - from > MAX_RANGE_MS) throw invalid('query parameter from', 'the time range may span at most 93 days');
  return { from: new Date(from), to: new Date(to) };
}

export const timeRangeQuery = {
  from: single('from').optional(),
  to: single('to').optional(),
  since: single('since').optional(),
};

export const timeRangeSchema = z.object(timeRangeQuery);
