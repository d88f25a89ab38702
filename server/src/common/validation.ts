import { z } from 'zod';
import { invalid } from './errors.js';

/**
 * Parses one request part (query, params or body) with a zod schema. The first problem becomes a
 * 400 naming the parameter ("Invalid query parameter limit: …"); unknown parameters are refused,
 * so a typo is an error rather than silently ignored.
 */
export function parseInput<S extends z.ZodType>(
  where: 'query parameter' | 'path parameter' | 'body field' | 'body',
  schema: S,
  input: unknown,
): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    throw invalid(`${where} ${key}`, 'unknown parameter');
  }
  if (where === 'body' && path === '') throw invalid('body', issue.message);
  throw invalid(path === '' ? where : `${where} ${path}`, issue.message);
}

/** Query strings arrive as strings (or arrays when repeated); a repeated parameter is an error. */
export const single = (name: string) =>
  z.preprocess(
    (v) => (Array.isArray(v) ? Symbol.for(`repeated:${name}`) : v),
    z.string({ error: (iss) => (typeof iss.input === 'symbol' ? 'given more than once' : 'must be a string') }),
  );

export const hexId = (bytes: number, what: string) =>
  z
    .string()
    .trim()
    .regex(new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`), `must be a ${what} of ${bytes * 2} hex characters`)
    .transform((s) => s.toLowerCase());

export const intParam = (name: string, min: number, max: number, fallback: number) =>
  single(name)
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      if (!/^\d+$/.test(v)) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number between ${min} and ${max}` });
        return z.NEVER;
      }
      const n = Number(v);
      if (n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number between ${min} and ${max}` });
        return z.NEVER;
      }
      return n;
    });

/** A label-like filter value (service, workflow, model …): printable, bounded. */
export const labelParam = (name: string) =>
  single(name)
    .optional()
    .refine((v) => v === undefined || (v.length > 0 && v.length <= 256 && !/[\u0000-\u001f]/.test(v)), {
      message: 'must be 1 to 256 printable characters',
    });
