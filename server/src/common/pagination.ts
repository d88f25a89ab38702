import { invalid } from './errors.js';

/**
 * Keyset pagination: the cursor is the sort key of the last item, opaque to clients (base64url
 * JSON). Stable under inserts, and no OFFSET scans.
 */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): (string | number)[] | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    if (cursor.length > 512) throw new Error('too long');
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === arity &&
      value.every((v) => (typeof v === 'string' && v.length < 200) || (typeof v === 'number' && Number.isFinite(v)))
    ) {
      return value as (string | number)[];
    }
  } catch {
    // fall through
  }
  throw invalid('query parameter cursor', 'is not a cursor this API returned');
}

/** Fetch `limit + 1` rows; the extra one says whether there is a next page. */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => (string | number)[]): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
