import { loadMigrations, p, sql, T, type Storage } from '@kaizen/clickhouse';

export interface Readiness {
  ready: boolean;
  checks: { clickhouse: 'ok' | 'unavailable'; schema: 'ok' | 'pending' | 'unknown'; collector?: 'ok' | 'down' };
}

/** Readiness of the store (and, in the all-in-one, of the collector running beside the API). */
export class ReadinessService {
  private readonly expected = loadMigrations().length;

  constructor(
    private readonly storage: Storage,
    private readonly collectorAlive?: () => boolean,
  ) {}

  async check(): Promise<Readiness> {
    let clickhouse: Readiness['checks']['clickhouse'] = 'ok';
    let schema: Readiness['checks']['schema'] = 'unknown';
    try {
      const rows = await this.storage.query<{ n: string }>(
        sql`SELECT uniqExact(Version) AS n FROM ${this.storage.table(T.migrations)} WHERE Version > ${p.uint32(0)}`,
        { tag: 'readyz', settings: { max_execution_time: 5 } },
      );
      schema = Number(rows[0]?.n ?? 0) >= this.expected ? 'ok' : 'pending';
    } catch {
      clickhouse = 'unavailable';
    }
    const checks: Readiness['checks'] = { clickhouse, schema };
    if (this.collectorAlive) checks.collector = this.collectorAlive() ? 'ok' : 'down';
    return { ready: clickhouse === 'ok' && schema === 'ok' && checks.collector !== 'down', checks };
  }
}
