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
 * functions reaching files or the network are refused by ClickHouse). Kaizen's database is the current
 * one, so plain table names work. Embedded, it is a chDB session
 * of its own on the same engine, so these settings never touch the collector's or the API's queries.
 * Before running, the text is parsed by ClickHouse (`formatQuery`): one statement only, and no
 * `INTO OUTFILE` (chDB would write that file in-process) or `FORMAT` clause.
 */
export class ReadOnlySql {
  /** Queries running per session, so a retired session is closed only once they are done. */
  private readonly users = new Map<ChdbSession, number>();
  private readonly retired = new Set<ChdbSession>();

  private constructor(
    private readonly storage: Storage,
    private readonly limits: ReadOnlyLimits,
    private session: ChdbSession | undefined,
  ) {}

  static async open(storage: Storage, limits: ReadOnlyLimits): Promise<ReadOnlySql> {
    if (storage.mode === 'server') return new ReadOnlySql(storage, limits, undefined);
    return new ReadOnlySql(storage, limits, await ReadOnlySql.newSession(storage, limits));
  }

  private static async newSession(storage: Storage, limits: ReadOnlyLimits): Promise<ChdbSession> {
    const { Session } = (await import('chdb')) as unknown as { Session: new (path: string) => ChdbSession };
    const session = new Session(storage.dataDir!);
    for (const statement of [
      // Kaizen's database is the current one, so plain table names work (database names are identifiers).
      `USE ${storage.database}`,
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
    return session;
  }

  /**
   * A chDB session keeps the partial output of a query that failed and prepends it to the next
   * answer; so after an error the session is replaced (and closed once its other queries finish).
   */
  private async replace(failed: ChdbSession): Promise<void> {
    if (this.session !== failed) return;
    this.session = await ReadOnlySql.newSession(this.storage, this.limits);
    this.retired.add(failed);
  }

  private release(s: ChdbSession): void {
    const n = (this.users.get(s) ?? 1) - 1;
    if (n > 0) {
      this.users.set(s, n);
      return;
    }
    this.users.delete(s);
    if (this.retired.delete(s)) s.close();
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
    const session = this.session;
    if (session) {
      this.users.set(session, (this.users.get(session) ?? 0) + 1);
      try {
        const r =
          Object.keys(params).length > 0
            ? await session.queryBindAsync(text, params, { format: chFormat })
            : await session.queryAsync(text, { format: chFormat });
        return r.text();
      } catch (e) {
        await this.replace(session);
        throw fromChdb(e);
      } finally {
        this.release(session);
      }
    }
    const client: ClickHouseClient = this.storage.client;
    try {
      // exec, not query: the client only knows the formats it can parse, and Pretty is for people.
      const rs = await client.exec({
        query: `${text}\nFORMAT ${chFormat}`,
        query_params: params,
        http_headers: { 'X-ClickHouse-Database': this.storage.database },
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
    this.session = undefined;
    for (const s of this.retired) s.close();
    this.retired.clear();
  }
}
