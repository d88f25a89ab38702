/**
 * Kaizen's error catalog: stable codes with their HTTP status. Services throw these; one exception
 * filter turns them (and everything else) into `{ error: { code, message, details? } }`.
 */
export const ERRORS = {
  KAIZEN_ERR_VALIDATION: 400,
  KAIZEN_ERR_SQL_INVALID: 400,
  KAIZEN_ERR_UNAUTHORIZED: 401,
  KAIZEN_ERR_SQL_READONLY: 403,
  KAIZEN_ERR_FORBIDDEN: 403,
  KAIZEN_ERR_NOT_FOUND: 404,
  KAIZEN_ERR_CONFLICT: 409,
  KAIZEN_ERR_PAYLOAD_TOO_LARGE: 413,
  KAIZEN_ERR_QUERY_LIMIT: 422,
  KAIZEN_ERR_BUSY: 429,
  KAIZEN_ERR_INTERNAL: 500,
  KAIZEN_ERR_STORE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERRORS;

export class KaizenError extends Error {
  override readonly name = 'KaizenError';
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.status = ERRORS[code];
  }
}

export const notFound = (what: string) => new KaizenError('KAIZEN_ERR_NOT_FOUND', `${what} not found`);

export const invalid = (parameter: string, message: string) =>
  new KaizenError('KAIZEN_ERR_VALIDATION', `Invalid ${parameter}: ${message}`, { parameter });
