import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { waitForUpdate, type Provider } from '@pydantic/genai-prices';
import { readSchemaSetting, writeSetting } from '../migrations/migration.runner.js';
import { chTime, UNSAFE_rawSql } from '../query/sql.js';
import { D, T } from '../schema/tables.js';
import type { Storage } from '../storage/storage.js';
import { buildLibraryPriceRows, type BuildResult } from './price-rules.js';

export interface LoadPricesResult {
  /** 'genai-prices@<version>+<hash of the rows>'. */
  readonly version: string;
  readonly models: number;
  readonly providers: number;
  /** True when the store already had this version and nothing was written. */
  readonly unchanged: boolean;
  readonly skipped: BuildResult['skipped'];
}

function libraryVersion(): string {
  try {
    const entry = fileURLToPath(import.meta.resolve('@pydantic/genai-prices'));
    const pkg = JSON.parse(readFileSync(new URL('../package.json', `file://${entry}`), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The library's bundled price data (no network: remote updates are never enabled). */
export async function libraryProviders(): Promise<Provider[]> {
  return (await waitForUpdate()) ?? [];
}

/** Reloads both price dictionaries so new rules apply to the next inserted spans. */
export async function reloadPriceDictionaries(storage: Storage): Promise<void> {
  const onCluster = storage.cluster ? ` ON CLUSTER ${storage.cluster}` : '';
  for (const dict of [D.modelPriceDict, D.modelProviderDict]) {
    await storage.command(UNSAFE_rawSql(`SYSTEM RELOAD DICTIONARY ${storage.database}.${dict}${onCluster}`), {
      tag: 'prices-reload',
    });
  }
}

/**
 * Loads @pydantic/genai-prices into `model_prices` (replacing the previous load) and reloads the
 * dictionaries the genai_calls view prices with. A no-op when this exact data is already loaded.
 */
export async function loadLibraryPrices(
  storage: Storage,
  opts: { readonly force?: boolean; readonly now?: Date } = {},
): Promise<LoadPricesResult> {
  const now = opts.now ?? new Date();
  const providers = await libraryProviders();
  const built = buildLibraryPriceRows(providers, now);
  const hash = createHash('sha256').update(JSON.stringify(built.rows)).digest('hex').slice(0, 12);
  const version = `genai-prices@${libraryVersion()}+${hash}`;
  const models = built.rows.filter((r) => r.Kind === 'model').length;
  const result = { version, models, providers: providers.length, skipped: built.skipped };
  if (!opts.force && (await readSchemaSetting(storage, 'prices_library')) === version) {
    return { ...result, unchanged: true };
  }
  const onCluster = storage.cluster ? ` ON CLUSTER ${storage.cluster}` : '';
  await storage.command(UNSAFE_rawSql(`TRUNCATE TABLE ${storage.database}.${T.modelPrices}${onCluster}`), {
    tag: 'prices-load',
  });
  const loadedAt = chTime(now);
  await storage.insert(
    T.modelPrices,
    built.rows.map((r) => ({ ...r, LibraryVersion: version, LoadedAt: loadedAt })),
    { tag: 'prices-load' },
  );
  await reloadPriceDictionaries(storage);
  await writeSetting(storage, 'prices_library', version);
  return { ...result, unchanged: false };
}
