import { openStorage, prepareStore, StorageLockedError, type KaizenConfig, type Storage } from '@kaizen/clickhouse';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { createApp } from '../app/app.factory.js';
import { injectApi, type KaizenApi } from '../mcp/kaizen-api.js';
import { CliError } from './cli-runtime.js';
import { ServiceClient } from './service-client.js';

/** The REST API for a command: in this process on the store, or the running service's. */
export interface ApiAccess {
  readonly api: KaizenApi;
  /** Where the answers come from, for messages. */
  readonly where: string;
  close(): Promise<void>;
}

/**
 * The service's modules on the store, in this process, without an HTTP port and without background
 * work: what a command uses when no service holds the store. Throws StorageLockedError if one does.
 */
export async function openLocalApi(config: KaizenConfig, logger: Logger): Promise<ApiAccess> {
  const storage: Storage = await openStorage(config.storage);
  try {
    await prepareStore(storage, { retentionDays: config.storage.retentionDays });
    const app = await createApp({ config, storage, registry: new Registry(), logger }, { background: false });
    return {
      api: injectApi(app.getHttpAdapter().getInstance(), config.apiToken),
      where: config.storage.mode === 'embedded' ? `the store in ${config.storage.dataDir}` : config.storage.url!,
      async close() {
        await app.close().catch((e: unknown) => logger.error({ err: e }, 'closing the app failed'));
        await storage.close();
      },
    };
  } catch (e) {
    await storage.close();
    throw e;
  }
}

/** With --url, that service; else the store itself when nothing holds it, else the service that does. */
export async function connectApi(config: KaizenConfig, logger: Logger, url: string | undefined): Promise<ApiAccess> {
  if (url !== undefined && !/^https?:\/\/[^\s/]+/.test(url)) {
    throw new CliError(`--url must be an http(s) URL; got "${url}"`, 2);
  }
  const remote = (): ApiAccess => {
    const client = ServiceClient.fromConfig(config, url);
    return { api: client, where: client.baseUrl, close: () => Promise.resolve() };
  };
  if (url !== undefined) return remote();
  try {
    return await openLocalApi(config, logger);
  } catch (e) {
    if (e instanceof StorageLockedError) return remote();
    throw e;
  }
}
