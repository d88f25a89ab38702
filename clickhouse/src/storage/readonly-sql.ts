import type { ClickHouseClient } from '@clickhouse/client';
import { ClickHouseQueryError, toClickHouseError } from '../query/errors.js';
import { p, sql } from '../query/sql.js';
import type { Storage } from './storage.js';

export interface ReadOnlyLimits {
  readonly maxExecutionSeconds: number;
  readonly maxResultRows: number;
  readonly maxResultBytes: number;
  readonly maxMemoryBytes: number;
}

export const READONLY_FORMATS = {
  json: 'JSON',
  jsoneachrow: 'JSONEachRow',
  csv: 'CSVWithNames',
  tsv: 'TabSeparatedWithNames',
  pretty: 'PrettyCompactMonoBlock',
} as const;
export type ReadOnlyFormat = keyof typeof READONLY_FORMATS;

export type QueryParamValue = string | number | boolean | null | readonly (string | number | boolean)[];

interface ChdbSession {
  queryAsync(query: string, opts?: { format?: string }): Promise<{ text(): string }>;
  queryBindAsync(query: string, params: object, opts?: { format?: string }): Promise<{ text(): string }>;
  close(): void;
}

/** A refused query: ClickHouse's own message, its code and type, and whether limits stopped it. */
export class ReadOnlyQueryError extends ClickHouseQueryError {
  override readonly name = 'ReadOnlyQueryError';
}

const CODE = /Code: (\d+)\./;
const TYPE = /\(([A-Z][A-Z0-9_]{2,})\)/;

function fromChdb(e: unknown): ClickHouseQueryError {
  const message = e instanceof Error ? e.message : String(e);
  const inner = message.replace(/^(Code: \d+\. DB::Exception: )+/, '').replace(/\s*\(version [^)]*\)\s*$/, '');
  const code = CODE.exec(message)?.[1];
  const type = [...message.matchAll(new RegExp(TYPE, 'g'))].pop()?.[1];
  return new ReadOnlyQueryError(inner.replace(/\s*\([A-Z][A-Z0-9_]{2,}\)\s*$/, '').trim(), {
    ...(code ? { code } : {}),
    ...(type ? { type } : {}),
    cause: e,
  });
}

/**
 * Runs arbitrary SQL read-only, enforced by ClickHouse itself: its limits are set first and then
 * `readonly = 1`, so a query can neither write nor lift a limit (writes, DDL, SYSTEM and table
 * functions reaching files or the network are refused by ClickHouse). Embedded, it is a chDB session
 * of its own on the same engine, so these settings never touch the collector's or the API's queries.
 * Before running, the text is parsed by ClickHouse (`formatQuery`): one statement only, and no
 * `INTO OUTFILE` (chDB would write that file in-process) or `FORMAT` clause.
 */
export class ReadOnlySql {
  private constructor(
    private readonly storage: Storage,
    private readonly limits: ReadOnlyLimits,
    private readonly session: ChdbSession | undefined,
  ) {}

  static async open(storage: Storage, limits: ReadOnlyLimits): Promise<ReadOnlySql> {
    if (storage.mode === 'server') return new ReadOnlySql(storage, limits, undefined);
    const { Session } = (await import('chdb')) as unknown as { Session: new (path: string) => ChdbSession };
    const session = new Session(storage.dataDir!);
    for (const statement of [
      `SET max_execution_time = ${limits.maxExecutionSeconds}`,
      `SET max_result_rows = ${limits.maxResultRows}`,
      `SET max_result_bytes = ${limits.maxResultBytes}`,
      `SET result_overflow_mode = 'throw'`,
      `SET max_memory_usage = ${limits.maxMemoryBytes}`,
      `SET output_format_json_quote_64bit_integers = 1`,
      `SET readonly = 1`,
    ]) {
      await session.queryAsync(statement);
    }
    return new ReadOnlySql(storage, limits, session);
  }

  /** Checks the text with ClickHouse's parser; returns it formatted. */
  async check(query: string): Promise<string> {
    const text = query.trim().replace(/;\s*$/, '');
    if (text === '') throw new ReadOnlyQueryError('The query is empty', { kind: 'invalid_input' });
    let formatted: string;
    try {
      const rows = await this.storage.query<{ f: string }>(sql`SELECT formatQuerySingleLine(${p.string(text)}) AS f`, {
        tag: 'sql-check',
      });
      formatted = rows[0]!.f;
    } catch (e) {
      const err = toClickHouseError(e, undefined);
      throw new ReadOnlyQueryError(`The query does not parse as one ClickHouse statement: ${err.message}`, {
        kind: 'syntax',
        type: 'SYNTAX_ERROR',
        cause: e,
      });
    }
    if (/\bINTO\s+OUTFILE\b/i.test(formatted)) {
      throw new ReadOnlyQueryError('INTO OUTFILE is not allowed: results are returned to you, never written to files', {
        kind: 'readonly',
        type: 'READONLY',
      });
    }
    // (An INSERT prints its VALUES as "FORMAT Values"; ClickHouse refuses those itself below.)
    if (!/^INSERT\b/i.test(formatted) && /\bFORMAT\s+[A-Za-z]+\s*$/i.test(formatted)) {
      throw new ReadOnlyQueryError('Leave out the FORMAT clause and choose a format with the format parameter', {
        kind: 'invalid_input',
      });
    }
    return text;
  }

  /** Runs one read-only statement and returns ClickHouse's answer as text in the given format. */
  async run(query: string, format: ReadOnlyFormat, params: Record<string, QueryParamValue> = {}): Promise<string> {
    const text = await this.check(query);
    const chFormat = READONLY_FORMATS[format];
    if (this.session) {
      try {
        const r =
          Object.keys(params).length > 0
            ? await this.session.queryBindAsync(text, params, { format: chFormat })
            : await this.session.queryAsync(text, { format: chFormat });
        return r.text();
      } catch (e) {
        throw fromChdb(e);
      }
    }
    const client: ClickHouseClient = this.storage.client;
    try {
      // exec, not query: the client only knows the formats it can parse, and Pretty is for people.
      const rs = await client.exec({
        query: `${text}\nFORMAT ${chFormat}`,
        query_params: params,
        // Limits first, readonly last: once readonly = 1 applies, nothing may change a setting.
        clickhouse_settings: {
          max_execution_time: this.limits.maxExecutionSeconds,
          max_result_rows: String(this.limits.maxResultRows),
          max_result_bytes: String(this.limits.maxResultBytes),
          result_overflow_mode: 'throw',
          max_memory_usage: String(this.limits.maxMemoryBytes),
          output_format_json_quote_64bit_integers: 1,
          readonly: '1',
        },
      });
      const chunks: Buffer[] = [];
      for await (const chunk of rs.stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    } catch (e) {
      throw toClickHouseError(e, undefined);
    }
  }

  close(): void {
    this.session?.close();
  }
}
