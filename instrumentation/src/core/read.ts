/**
 * Defensive readers for SDK requests and responses. The instrumentations support several majors
 * of each SDK, so they read fields structurally and never trust a shape.
 */

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null;
}

/** A property of an object or a function (classes and their statics included). */
export function field(v: unknown, key: PropertyKey): unknown {
  return (typeof v === 'object' && v !== null) || typeof v === 'function'
    ? (v as Record<PropertyKey, unknown>)[key]
    : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A token count: a finite, non-negative number. */
export function count(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

export function arr(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

export function strings(v: unknown): string[] | undefined {
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v)) return undefined;
  const out = v.filter((s): s is string => typeof s === 'string');
  return out.length > 0 ? out : undefined;
}

export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return isObj(v) && typeof v['then'] === 'function';
}
