import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type KaizenConfig } from '../../src/config/config.schema.js';
import { prepareStore } from '../../src/storage/prepare-store.js';
import { openStorage } from '../../src/storage/storage.factory.js';
import type { Storage } from '../../src/storage/storage.js';

export interface TempStore {
  readonly storage: Storage;
  readonly config: KaizenConfig;
  readonly dataDir: string;
  /** Closes the store and deletes its directory. */
  close(): Promise<void>;
}

/**
 * A real embedded ClickHouse in a fresh temporary directory (one per test file: chDB runs one
 * engine per process), migrated and priced unless `prepare` is false.
 */
export async function openTempStore(
  env: Record<string, string> = {},
  opts: { readonly prepare?: boolean } = {},
): Promise<TempStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kaizen-test-'));
  const config = loadConfig({ KAIZEN_DATA_DIR: dataDir, ...env });
  const storage = await openStorage(config.storage);
  if (opts.prepare !== false) await prepareStore(storage, { retentionDays: config.storage.retentionDays });
  return {
    storage,
    config,
    dataDir,
    async close() {
      await storage.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
