import { migrate, type MigrateResult } from '../migrations/migration.runner.js';
import { loadLibraryPrices, type LoadPricesResult } from '../prices/prices.loader.js';
import type { Storage } from './storage.js';

export interface PrepareResult {
  readonly migrations: MigrateResult;
  readonly prices: LoadPricesResult;
}

/** Everything a store needs before spans arrive: the schema, then the library's prices. */
export async function prepareStore(
  storage: Storage,
  opts: { readonly retentionDays?: number | undefined; readonly log?: (line: string) => void } = {},
): Promise<PrepareResult> {
  const migrations = await migrate(storage, opts);
  const prices = await loadLibraryPrices(storage);
  return { migrations, prices };
}
