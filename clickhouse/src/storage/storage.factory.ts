import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import type { StorageConfig } from '../config/config.schema.js';
import { StorageLockedError, toClickHouseError } from '../query/errors.js';
import { Storage } from './storage.js';

export interface OpenStorageOptions {
  /** Request timeout for server mode, in ms (default 60 s). */
  readonly requestTimeoutMs?: number;
}

/** The engine's own directory inside KAIZEN_DATA_DIR (the spool and other state live beside it). */
export function embeddedEnginePath(dataDir: string): string {
  return join(resolve(dataDir), 'clickhouse');
}

// chDB runs one engine per process: remember which directory this process holds.
let embeddedInUse: { path: string; refs: number; client: ClickHouseClient } | undefined;

function readHolderPid(path: string): number | undefined {
  try {
    const m = /PID:\s*(\d+)/.exec(readFileSync(join(path, 'status'), 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function looksLocked(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    const rec = cur as { code?: unknown; message?: unknown; cause?: unknown };
    if (rec.code === 'CHDB_CONNECTION' || /Cannot lock file|Failed to create connection/i.test(String(rec.message)))
      return true;
    cur = rec.cause;
  }
  return false;
}

async function openEmbedded(config: StorageConfig): Promise<Storage> {
  const path = embeddedEnginePath(config.dataDir);
  if (embeddedInUse && embeddedInUse.path !== path) {
    throw new Error(
      `This process already holds the embedded store at ${embeddedInUse.path}; ` +
        `chDB runs one engine per process, so ${path} cannot be opened beside it.`,
    );
  }
  if (!embeddedInUse) {
    mkdirSync(path, { recursive: true });
    // ClickHouse records its PID in <path>/status while it holds the directory. Asking first spares
    // the user the engine's own lock error on stderr.
    const holder = readHolderPid(path);
    if (holder !== undefined && holder !== process.pid && isAlive(holder)) throw new StorageLockedError(path, holder);
    const { createChdbConnection } = await import('chdb/connection');
    let client: ClickHouseClient;
    try {
      // chdb implements @clickhouse/client-common's Connection; the client bundles its own copy of
      // that type, so the two declarations differ only nominally.
      client = createClient({ connection: createChdbConnection({ path }) as never });
      // The engine opens (and takes its lock) on the first statement.
      await client.query({ query: 'SELECT 1', format: 'JSONEachRow' }).then((r) => r.json());
    } catch (e) {
      if (looksLocked(e)) throw new StorageLockedError(path, readHolderPid(path), e);
      throw toClickHouseError(e, undefined);
    }
    embeddedInUse = { path, refs: 0, client };
  }
  const held = embeddedInUse;
  held.refs++;
  return new Storage(
    held.client,
    { mode: 'embedded', database: config.database, cluster: undefined, dataDir: path },
    async () => {
      held.refs--;
      if (held.refs === 0) {
        embeddedInUse = undefined;
        await held.client.close();
      }
    },
  );
}

function openServer(config: StorageConfig, opts: OpenStorageOptions): Storage {
  if (!config.url) throw new Error('Server mode needs KAIZEN_CLICKHOUSE_URL');
  const client = createClient({
    url: config.url,
    username: config.user,
    password: config.password ?? '',
    request_timeout: opts.requestTimeoutMs ?? 60_000,
    clickhouse_settings: { wait_end_of_query: 1 },
    compression: { request: false, response: true },
    // Failures reach the caller as typed errors; the client's own console logging would duplicate them.
    log: { level: ClickHouseLogLevel.OFF },
  });
  return new Storage(
    client,
    { mode: 'server', database: config.database, cluster: config.cluster, dataDir: undefined },
    () => client.close(),
  );
}

/**
 * Opens ClickHouse as configured: embedded chDB under `dataDir` when no URL is set, a ClickHouse
 * server over HTTP otherwise. Both return the same {@link Storage}. Close it to release the
 * embedded data directory.
 */
export async function openStorage(config: StorageConfig, opts: OpenStorageOptions = {}): Promise<Storage> {
  return config.mode === 'embedded' ? openEmbedded(config) : Promise.resolve(openServer(config, opts));
}
