import { ClickHouseQueryError, type QueryParamValue, type ReadOnlyFormat, type ReadOnlySql } from '@kaizen/clickhouse';
import { KaizenError } from '../common/errors.js';

export const SQL_CONTENT_TYPES: Record<ReadOnlyFormat, string> = {
  json: 'application/json; charset=utf-8',
  jsoneachrow: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  tsv: 'text/tab-separated-values; charset=utf-8',
  pretty: 'text/plain; charset=utf-8',
};

/** Read-only SQL for users, with ClickHouse's own refusal turned into a clear API error. */
export class SqlService {
  constructor(private readonly ro: ReadOnlySql) {}

  async run(query: string, format: ReadOnlyFormat, params: Record<string, QueryParamValue>): Promise<string> {
    try {
      return await this.ro.run(query, format, params);
    } catch (e) {
      if (!(e instanceof ClickHouseQueryError) || e.kind === 'unavailable') throw e;
      const details = { clickhouseCode: e.code || null, clickhouseType: e.type || null };
      if (e.kind === 'readonly') {
        throw new KaizenError(
          'KAIZEN_ERR_SQL_READONLY',
          `Refused: this SQL endpoint is read-only (${e.message})`,
          details,
        );
      }
      if (e.kind === 'limit') {
        throw new KaizenError(
          'KAIZEN_ERR_QUERY_LIMIT',
          `Stopped by a limit: ${e.message}. Add a LIMIT, aggregate, or narrow the time range.`,
          details,
        );
      }
      throw new KaizenError('KAIZEN_ERR_SQL_INVALID', `ClickHouse could not run the query: ${e.message}`, details);
    }
  }
}
