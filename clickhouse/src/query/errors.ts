/**
 * Typed errors for everything that can go wrong talking to ClickHouse. Each keeps the original
 * error as `cause`, and ClickHouse's own numeric `code` and symbolic `type` when it gave them.
 */

export type ClickHouseErrorKind =
  | 'syntax' // the SQL did not parse
  | 'unknown_object' // a table, column, database or function that does not exist
  | 'readonly' // a write attempted where only reads are allowed
  | 'limit' // a time, memory, row or byte limit stopped the query
  | 'invalid_input' // a parameter or value ClickHouse could not accept
  | 'unavailable' // the server could not be reached (network)
  | 'other';

const KIND_BY_TYPE: Record<string, ClickHouseErrorKind> = {
  SYNTAX_ERROR: 'syntax',
  UNKNOWN_TABLE: 'unknown_object',
  UNKNOWN_DATABASE: 'unknown_object',
  UNKNOWN_IDENTIFIER: 'unknown_object',
  UNKNOWN_FUNCTION: 'unknown_object',
  UNKNOWN_SETTING: 'unknown_object',
  READONLY: 'readonly',
  ACCESS_DENIED: 'readonly',
  TIMEOUT_EXCEEDED: 'limit',
  MEMORY_LIMIT_EXCEEDED: 'limit',
  TOO_MANY_ROWS_OR_BYTES: 'limit',
  TOO_MANY_ROWS: 'limit',
  TOO_MANY_BYTES: 'limit',
  QUERY_WAS_CANCELLED: 'limit',
  TOO_SLOW: 'limit',
  CANNOT_PARSE_TEXT: 'invalid_input',
  CANNOT_PARSE_INPUT_ASSERTION_FAILED: 'invalid_input',
  BAD_QUERY_PARAMETER: 'invalid_input',
  UNKNOWN_QUERY_PARAMETER: 'invalid_input',
  TYPE_MISMATCH: 'invalid_input',
  ILLEGAL_TYPE_OF_ARGUMENT: 'invalid_input',
  CANNOT_PARSE_DATETIME: 'invalid_input',
  INCORRECT_DATA: 'invalid_input',
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export class ClickHouseQueryError extends Error {
  override readonly name: string = 'ClickHouseQueryError';
  /** ClickHouse's numeric error code as a string (e.g. "60"), or '' when ClickHouse gave none. */
  readonly code: string;
  /** ClickHouse's symbolic error type (e.g. "UNKNOWN_TABLE"), or ''. */
  readonly type: string;
  readonly kind: ClickHouseErrorKind;
  readonly queryId: string | undefined;

  constructor(
    message: string,
    opts: { code?: string; type?: string; kind?: ClickHouseErrorKind; queryId?: string | undefined; cause?: unknown },
  ) {
    super(message, { cause: opts.cause });
    this.code = opts.code ?? '';
    this.type = opts.type ?? '';
    this.kind = opts.kind ?? KIND_BY_TYPE[this.type] ?? 'other';
    this.queryId = opts.queryId;
  }
}

/** ClickHouse could not be reached; safe to retry reads, and inserts that carry a deduplication token. */
export class ClickHouseUnavailableError extends ClickHouseQueryError {
  override readonly name = 'ClickHouseUnavailableError';
}

/** The embedded data directory is held by another process. */
export class StorageLockedError extends Error {
  override readonly name = 'StorageLockedError';
  constructor(
    readonly dataDir: string,
    readonly holderPid: number | undefined,
    cause?: unknown,
  ) {
    super(
      `The data directory ${dataDir} is locked by another process` +
        (holderPid === undefined ? '' : ` (PID ${holderPid})`) +
        ': embedded ClickHouse lets one process at a time own a data directory. ' +
        'Stop that process (for example a running "kaizen up"), or point KAIZEN_DATA_DIR at another directory, ' +
        'or run ClickHouse as a server and set KAIZEN_CLICKHOUSE_URL.',
      { cause },
    );
  }
}

function errorCode(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e) {
    const c = e.code;
    return typeof c === 'string' ? c : undefined;
  }
  return undefined;
}

export function isNetworkError(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    const code = errorCode(cur);
    if (code && NETWORK_CODES.has(code)) return true;
    const msg = cur instanceof Error ? cur.message : '';
    if (/socket hang up|ECONNRESET|ECONNREFUSED|connect ETIMEDOUT|Timeout error/i.test(msg)) return true;
    cur = cur instanceof Error ? cur.cause : undefined;
  }
  return false;
}

/** Turns whatever the client threw into a {@link ClickHouseQueryError}, keeping it as `cause`. */
export function toClickHouseError(e: unknown, queryId: string | undefined): ClickHouseQueryError {
  if (e instanceof ClickHouseQueryError) return e;
  if (isNetworkError(e)) {
    const msg = e instanceof Error ? e.message : String(e);
    return new ClickHouseUnavailableError(`ClickHouse is unavailable: ${msg}`, {
      kind: 'unavailable',
      queryId,
      cause: e,
    });
  }
  if (e instanceof Error) {
    const rec = e as Error & { code?: unknown; type?: unknown };
    const code = typeof rec.code === 'string' && /^\d+$/.test(rec.code) ? rec.code : undefined;
    const type = typeof rec.type === 'string' ? rec.type : undefined;
    return new ClickHouseQueryError(e.message.trim(), {
      ...(code === undefined ? {} : { code }),
      ...(type === undefined ? {} : { type }),
      queryId,
      cause: e,
    });
  }
  return new ClickHouseQueryError(String(e), { queryId, cause: e });
}
