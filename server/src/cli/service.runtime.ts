import { openStorage, prepareStore, StorageLockedError, type KaizenConfig, type Storage } from '@kaizen/clickhouse';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pc from 'picocolors';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { createApp } from '../app/app.factory.js';
import { createLogger } from '../common/logger.js';
import { CliError, type CliIo } from './cli-runtime.js';

/** Something started beside the API in the same process (the all-in-one's collector). */
export interface Sidecar {
  readonly name: string;
  readonly urls: readonly [label: string, url: string][];
  alive(): boolean;
  close(): Promise<void>;
}

export type SidecarStarter = (deps: {
  config: KaizenConfig;
  storage: Storage;
  registry: Registry;
  logger: Logger;
}) => Promise<Sidecar>;

function portError(e: unknown, port: number, variable: string, host: string): Error {
  const code = (e as { code?: unknown }).code;
  if (code === 'EADDRINUSE') {
    return new CliError(
      `Port ${port} on ${host} is already in use by another process: stop it, or choose another port with ${variable}.`,
    );
  }
  if (code === 'EACCES')
    return new CliError(`Not allowed to listen on port ${port} (${variable}); use a port above 1023.`);
  if (code === 'EADDRNOTAVAIL') return new CliError(`Cannot listen on ${host} (KAIZEN_HOST): no such local address.`);
  return e instanceof Error ? e : new Error(String(e));
}

export { portError };

/** Opens the store (turning a held data directory into a clear CLI error) and prepares it. */
export async function openPreparedStore(config: KaizenConfig, io: CliIo): Promise<Storage> {
  let storage: Storage;
  try {
    storage = await openStorage(config.storage);
  } catch (e) {
    if (e instanceof StorageLockedError) throw new CliError(e.message);
    throw e;
  }
  try {
    const r = await prepareStore(storage, { retentionDays: config.storage.retentionDays });
    for (const m of r.migrations.applied) io.out(`  ${pc.green('✓')} applied ${m.name}`);
  } catch (e) {
    await storage.close();
    throw e;
  }
  return storage;
}

/**
 * Runs the service (and optional sidecars) until SIGINT/SIGTERM, then shuts down gracefully:
 * stop accepting, drain the sidecars (the collector flushes its queue), close the store.
 */
export async function runService(
  io: CliIo,
  config: KaizenConfig,
  sidecars: readonly SidecarStarter[],
  title: string,
): Promise<void> {
  const logger = createLogger(config.logLevel);
  const started = performance.now();
  const storage = await openPreparedStore(config, io);
  const registry = new Registry();
  const running: Sidecar[] = [];
  let app: NestFastifyApplication | undefined;
  const shutdown = async () => {
    await app?.close().catch((e: unknown) => logger.error({ err: e }, 'closing the API failed'));
    for (const s of running.reverse())
      await s.close().catch((e: unknown) => logger.error({ err: e }, `closing ${s.name} failed`));
    await storage.close();
  };
  try {
    for (const start of sidecars) running.push(await start({ config, storage, registry, logger }));
    app = await createApp(
      { config, storage, registry, logger },
      { ...(running.length > 0 ? { collectorAlive: () => running.every((s) => s.alive()) } : {}), background: true },
    );
    try {
      await app.listen(config.ports.api, config.host);
    } catch (e) {
      throw portError(e, config.ports.api, 'KAIZEN_API_PORT', config.host);
    }
  } catch (e) {
    await shutdown();
    throw e;
  }
  const base = (await app.getUrl()).replace('[::1]', 'localhost');
  const ms = Math.round(performance.now() - started);
  io.out(`${pc.bold(pc.green(title))} ${pc.dim(`(ready in ${ms} ms)`)}`);
  const rows: [string, string][] = [
    ['API', `${base}/api/workflows   (OpenAPI ${base}/api/docs)`],
    ['Metrics', `${base}/metrics`],
    ...running.flatMap((s) => s.urls),
    [
      'Store',
      config.storage.mode === 'embedded'
        ? `embedded ClickHouse in ${config.storage.dataDir}`
        : `ClickHouse at ${config.storage.url}`,
    ],
    ['Grafana', 'docker compose up grafana, then http://localhost:3000 (see README)'],
  ];
  for (const [label, value] of rows) io.out(`  ${pc.cyan(label.padEnd(10))} ${value}`);
  io.out(pc.dim('Press Ctrl+C to stop.'));
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        io.err('kaizen: forced exit');
        process.exit(130);
      }
      stopping = true;
      io.out(pc.dim(`${signal}: shutting down…`));
      shutdown().then(resolve, (e: unknown) => {
        logger.error({ err: e }, 'shutdown failed');
        resolve();
      });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  io.out('Stopped.');
}
