import { randomUUID } from 'node:crypto';
import type { Stream } from 'node:stream';
import type { ClickHouseClient, ClickHouseSettings, DataFormat } from '@clickhouse/client';
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import { ClickHouseQueryError, isNetworkError, toClickHouseError } from '../query/errors.js';
import { Identifier, render, sql, type Sql } from '../query/sql.js';
import type { TableName } from '../schema/tables.js';

export interface QueryOptions {
  /** Names the call site; goes into the query id and `system.query_log.log_comment`. */
  readonly tag?: string;
  readonly settings?: ClickHouseSettings;
  readonly signal?: AbortSignal;
  /** An explicit query id (for cancelling it elsewhere); generated when absent. */
  readonly queryId?: string;
}

export interface InsertOptions extends QueryOptions {
  /**
   * Makes the insert idempotent: ClickHouse drops a repeated block with the same token, so the
   * insert is retried on network errors only when a token is given.
   */
  readonly dedupToken?: string;
  readonly columns?: readonly string[];
}

export interface StorageInfo {
  readonly mode: 'embedded' | 'server';
  readonly database: string;
  readonly cluster: string | undefined;
  /** The embedded engine's data directory; undefined in server mode. */
  readonly dataDir: string | undefined;
}

const BASE_SETTINGS: ClickHouseSettings = {
  output_format_json_quote_64bit_integers: 1,
  output_format_json_quote_denormals: 0,
};

const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Settings as a query's own `SETTINGS` clause. chDB's connection applies `clickhouse_settings` as
 * session-wide `SET` statements, which then stay in force for every later — and concurrent — query
 * of the process (a deduplication token would silently drop the next insert; a timeout or readonly
 * would stick). In embedded mode Kaizen therefore never sends settings that way.
 */
export function settingsClause(settings: ClickHouseSettings): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(settings)) {
    if (v === undefined || k === 'wait_end_of_query') continue;
    if (!SETTING_NAME.test(k)) throw new TypeError(`Invalid setting name: ${JSON.stringify(k)}`);
    if (typeof v === 'number') parts.push(`${k} = ${v}`);
    else if (typeof v === 'boolean') parts.push(`${k} = ${v ? 1 : 0}`);
    else parts.push(`${k} = '${String(v).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`);
  }
  return parts.length === 0 ? '' : `SETTINGS ${parts.join(', ')}`;
}

// Network errors only: a ClickHouse error (bad SQL, limits) fails at once.
const networkRetry = retry(
  handleWhen((e) => isNetworkError(e)),
  { maxAttempts: 3, backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 2000 }) },
);

/**
 * The one entry point for ClickHouse: every query, command and insert in Kaizen goes through it.
 * Values are bound parameters, each call has a query id and a tag, errors come back typed.
 */
export class Storage implements StorageInfo {
  readonly mode: 'embedded' | 'server';
  readonly database: string;
  readonly cluster: string | undefined;
  readonly dataDir: string | undefined;
  private closed = false;

  constructor(
    /** The underlying client, for the few callers that stream (the collector's bulk inserts). */
    readonly client: ClickHouseClient,
    info: StorageInfo,
    private readonly onClose: () => Promise<void>,
  ) {
    this.mode = info.mode;
    this.database = info.database;
    this.cluster = info.cluster;
    this.dataDir = info.dataDir;
  }

  /** `database.table` for one of Kaizen's table constants. */
  table(name: TableName): Identifier {
    return new Identifier(`${this.database}.${name}`);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Runs a SELECT and returns its rows as objects (64-bit integers arrive as strings). */
  async query<T = Record<string, unknown>>(q: Sql, opts: QueryOptions = {}): Promise<T[]> {
    const { text, params } = render(q);
    return this.run(opts, true, async (query_id, settings) => {
      const rs = await this.client.query({
        ...this.withSettings(text, settings),
        query_params: params,
        format: 'JSONEachRow',
        query_id,
        ...(opts.signal ? { abort_signal: opts.signal } : {}),
      });
      return rs.json<T>();
    });
  }

  /** Runs a query and returns the raw text of the answer in `format` (CSV, TSV, Pretty …). */
  async queryText(q: Sql, format: DataFormat, opts: QueryOptions = {}): Promise<string> {
    const { text, params } = render(q);
    return this.run(opts, true, async (query_id, settings) => {
      const rs = await this.client.query({
        ...this.withSettings(text, settings),
        query_params: params,
        format,
        query_id,
        ...(opts.signal ? { abort_signal: opts.signal } : {}),
      });
      return rs.text();
    });
  }

  /** Runs a statement that returns no rows (DDL, INSERT … SELECT, SYSTEM …). */
  async command(q: Sql, opts: QueryOptions & { readonly idempotent?: boolean } = {}): Promise<void> {
    const { text, params } = render(q);
    await this.run(opts, opts.idempotent ?? false, async (query_id, settings) => {
      await this.client.command({
        query: text,
        query_params: params,
        query_id,
        // A SETTINGS clause would turn into table settings on DDL: in embedded mode commands carry none.
        ...(this.mode === 'server' ? { clickhouse_settings: settings } : {}),
        ...(opts.signal ? { abort_signal: opts.signal } : {}),
      });
    });
  }

  /** Inserts rows (JSONEachRow) synchronously: when it resolves, the rows are in ClickHouse. */
  async insert(table: TableName, rows: readonly object[], opts: InsertOptions = {}): Promise<void> {
    if (rows.length === 0) return;
    const extra: ClickHouseSettings = { async_insert: 0 };
    if (opts.dedupToken !== undefined) extra.insert_deduplication_token = opts.dedupToken;
    await this.run(
      { ...opts, settings: { ...extra, ...opts.settings } },
      opts.dedupToken !== undefined,
      async (query_id, settings) => {
        if (this.mode === 'embedded') {
          // The settings (a deduplication token above all) must hold for this insert only.
          const cols = opts.columns ? ` (${opts.columns.map((c) => new Identifier(c).text).join(', ')})` : '';
          const rs = await this.client.exec({
            query: `INSERT INTO ${this.database}.${table}${cols} ${settingsClause(settings)} FORMAT JSONEachRow`,
            values: rows.map((r) => JSON.stringify(r)).join('\n') as unknown as Stream.Readable,
            query_id,
            ...(opts.signal ? { abort_signal: opts.signal } : {}),
          });
          rs.stream.destroy();
          return;
        }
        await this.client.insert({
          table: `${this.database}.${table}`,
          values: rows as object[],
          format: 'JSONEachRow',
          query_id,
          clickhouse_settings: settings,
          ...(opts.columns ? { columns: [...opts.columns] as [string, ...string[]] } : {}),
          ...(opts.signal ? { abort_signal: opts.signal } : {}),
        });
      },
    );
  }

  async ping(): Promise<boolean> {
    try {
      await this.query<{ one: number }>(sql`SELECT 1 AS one`, { tag: 'ping' });
      return true;
    } catch {
      return false;
    }
  }

  /** Closes the client; in embedded mode this releases the data directory. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.onClose();
  }

  /** Server mode sends settings per HTTP request; embedded mode appends a SETTINGS clause. */
  private withSettings(
    text: string,
    settings: ClickHouseSettings,
  ): { query: string; clickhouse_settings?: ClickHouseSettings } {
    if (this.mode === 'server') return { query: text, clickhouse_settings: settings };
    return { query: `${text.replace(/;\s*$/, '')}\n${settingsClause(settings)}` };
  }

  private async run<R>(
    opts: QueryOptions,
    retryable: boolean,
    fn: (queryId: string, settings: ClickHouseSettings) => Promise<R>,
  ): Promise<R> {
    if (this.closed) {
      throw new ClickHouseQueryError('The storage is closed', { kind: 'unavailable' });
    }
    const tag = opts.tag ?? 'query';
    const queryId = opts.queryId ?? `kaizen-${tag.replace(/[^A-Za-z0-9_.-]/g, '_')}-${randomUUID()}`;
    const settings: ClickHouseSettings = { ...BASE_SETTINGS, log_comment: tag, ...opts.settings };
    try {
      return retryable && this.mode === 'server'
        ? await networkRetry.execute(() => fn(queryId, settings))
        : await fn(queryId, settings);
    } catch (e) {
      throw toClickHouseError(e, queryId);
    }
  }
}
