import { chTime, D, empty, p, sql, T, UNSAFE_rawSql as sqlRaw, type Sql, type Storage } from '@kaizen/clickhouse';

export interface PriceRow {
  source: string;
  Provider: string;
  Model: string;
  Name: string;
  IsPattern: number;
  InputPerMTok: number;
  OutputPerMTok: number;
  CacheReadPerMTok: number;
  CacheWritePerMTok: number;
  TierThreshold: string;
  TierInputPerMTok: number;
  TierOutputPerMTok: number;
  TierCacheReadPerMTok: number;
  TierCacheWritePerMTok: number;
  ReasoningPerMTok: number;
  PerRequestUSD: number;
  Note: string;
}

export interface OverrideRow {
  Provider: string;
  Model: string;
  IsPattern: 0 | 1;
  MatchRegex: string;
  InputPerMTok: number;
  OutputPerMTok: number;
  CacheReadPerMTok: number;
  CacheWritePerMTok: number;
  TierThreshold: number;
  TierInputPerMTok: number;
  TierOutputPerMTok: number;
  TierCacheReadPerMTok: number;
  TierCacheWritePerMTok: number;
  ReasoningPerMTok: number;
  PerRequestUSD: number;
  Note: string;
}

export interface PricesQuery {
  readonly provider?: string | undefined;
  readonly search?: string | undefined;
  readonly source?: 'library' | 'override' | undefined;
  readonly limit: number;
  readonly after?: readonly (string | number)[] | undefined;
}

const PRICE_COLUMNS = sql`InputPerMTok, OutputPerMTok, CacheReadPerMTok, CacheWritePerMTok, TierThreshold, TierInputPerMTok,
       TierOutputPerMTok, TierCacheReadPerMTok, TierCacheWritePerMTok, ReasoningPerMTok, PerRequestUSD`;

/** The price table: the library's rules (model_prices) and the user's overrides. */
export class PricesRepository {
  constructor(private readonly storage: Storage) {}

  listSql(q: PricesQuery): Sql {
    const f: Sql[] = [];
    if (q.provider !== undefined) f.push(sql` AND Provider = ${p.string(q.provider)}`);
    if (q.search !== undefined)
      f.push(
        sql` AND (positionCaseInsensitive(Model, ${p.string(q.search)}) > 0 OR positionCaseInsensitive(Name, ${p.string(q.search)}) > 0)`,
      );
    if (q.source !== undefined) f.push(sql` AND source = ${p.string(q.source)}`);
    if (q.after)
      f.push(
        sql` AND (source, Provider, Model) > (${p.string(String(q.after[0]))}, ${p.string(String(q.after[1]))}, ${p.string(String(q.after[2]))})`,
      );
    return sql`
      SELECT * FROM (
        SELECT 'override' AS source, Provider, Model, Model AS Name, IsPattern, ${PRICE_COLUMNS}, Note
        FROM ${this.storage.table(T.modelPriceOverrides)} FINAL WHERE IsDeleted = 0
        UNION ALL
        SELECT 'library' AS source, Provider, Model, any(Name) AS Name, toUInt8(0) AS IsPattern,
               any(InputPerMTok) AS InputPerMTok, any(OutputPerMTok) AS OutputPerMTok, any(CacheReadPerMTok) AS CacheReadPerMTok,
               any(CacheWritePerMTok) AS CacheWritePerMTok, any(TierThreshold) AS TierThreshold, any(TierInputPerMTok) AS TierInputPerMTok,
               any(TierOutputPerMTok) AS TierOutputPerMTok, any(TierCacheReadPerMTok) AS TierCacheReadPerMTok,
               any(TierCacheWritePerMTok) AS TierCacheWritePerMTok, any(ReasoningPerMTok) AS ReasoningPerMTok,
               any(PerRequestUSD) AS PerRequestUSD, '' AS Note
        FROM ${this.storage.table(T.modelPrices)} WHERE Kind = 'model'
        GROUP BY Provider, Model
      )
      WHERE 1 = 1${f.length ? f.reduce((a, b) => sql`${a}${b}`) : empty}
      ORDER BY source, Provider, Model
      LIMIT ${p.uint32(q.limit + 1)}`;
  }

  list(q: PricesQuery): Promise<PriceRow[]> {
    return this.storage.query<PriceRow>(this.listSql(q), { tag: 'prices-list' });
  }

  /** The price a call was charged: the override or library row for each (provider, price model). */
  forModelsSql(models: readonly string[]): Sql {
    return sql`
      SELECT source, Provider, Model, Model AS Name, IsPattern, ${PRICE_COLUMNS}, '' AS Note FROM (
        SELECT 'override' AS source, Provider, Model, IsPattern, ${PRICE_COLUMNS}
        FROM ${this.storage.table(T.modelPriceOverrides)} FINAL WHERE IsDeleted = 0 AND Model IN ${p.strings(models)}
        UNION ALL
        SELECT 'library' AS source, Provider, Model, toUInt8(0) AS IsPattern, ${PRICE_COLUMNS}
        FROM ${this.storage.table(T.modelPrices)} WHERE Kind = 'model' AND Model IN ${p.strings(models)}
      )
      ORDER BY source DESC`;
  }

  forModels(models: readonly string[]): Promise<PriceRow[]> {
    if (models.length === 0) return Promise.resolve([]);
    return this.storage.query<PriceRow>(this.forModelsSql(models), { tag: 'prices-for-models' });
  }

  async findOverride(provider: string, model: string): Promise<boolean> {
    const rows = await this.storage.query<{ n: string }>(
      sql`SELECT count() AS n FROM ${this.storage.table(T.modelPriceOverrides)} FINAL
          WHERE IsDeleted = 0 AND Provider = ${p.string(provider)} AND Model = ${p.string(model)}`,
      { tag: 'prices-find' },
    );
    return Number(rows[0]?.n ?? 0) > 0;
  }

  async upsert(rows: readonly OverrideRow[], deleted = false): Promise<void> {
    const at = chTime();
    await this.storage.insert(
      T.modelPriceOverrides,
      rows.map((r) => ({ ...r, UpdatedAt: at, IsDeleted: deleted ? 1 : 0 })),
      { tag: 'prices-upsert' },
    );
  }

  /** Reloads the price dictionaries; returns ClickHouse's error if a rule does not compile. */
  async reload(): Promise<string | undefined> {
    const onCluster = this.storage.cluster ? ` ON CLUSTER ${this.storage.cluster}` : '';
    for (const dict of [D.modelPriceDict, D.modelProviderDict]) {
      try {
        await this.storage.command(
          // Identifiers are constants; nothing user-given is in this statement.
          sqlRaw(`SYSTEM RELOAD DICTIONARY ${this.storage.database}.${dict}${onCluster}`),
          { tag: 'prices-reload' },
        );
      } catch (e) {
        return e instanceof Error ? e.message : String(e);
      }
    }
    return undefined;
  }
}
