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

/** The service started in this process: the API (listening), its sidecars and the store. */
export interface RunningService {
  readonly app: NestFastifyApplication;
  readonly storage: Storage;
  readonly logger: Logger;
  readonly sidecars: readonly Sidecar[];
  /** The API's base URL ("http://127.0.0.1:8000"). */
  readonly baseUrl: string;
  /** Milliseconds from the start to listening. */
  readonly readyMs: number;
  /** Graceful shutdown: stop accepting, drain the sidecars (the collector flushes its queue), close the store. */
  stop(): Promise<void>;
}

/** Starts the service (and optional sidecars) on a prepared store; listening when it resolves. */
export async function startService(
  io: CliIo,
  config: KaizenConfig,
  sidecars: readonly SidecarStarter[],
): Promise<RunningService> {
  const logger = createLogger(config.logLevel);
  const started = performance.now();
  const storage = await openPreparedStore(config, io);
  const registry = new Registry();
  const running: Sidecar[] = [];
  let app: NestFastifyApplication | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await app?.close().catch((e: unknown) => logger.error({ err: e }, 'closing the API failed'));
      for (const s of [...running].reverse())
        await s.close().catch((e: unknown) => logger.error({ err: e }, `closing ${s.name} failed`));
      await storage.close();
    })());
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
    await stop();
    throw e;
  }
  const baseUrl = (await app.getUrl()).replace('[::1]', 'localhost');
  const readyApp = app;
  return {
    app: readyApp,
    storage,
    logger,
    sidecars: running,
    baseUrl,
    readyMs: Math.round(performance.now() - started),
    stop,
  };
}

/** The title line and the table of URLs (API, metrics, sidecars, store, Grafana, and `extra`). */
export function printService(
  io: CliIo,
  config: KaizenConfig,
  service: RunningService,
  title: string,
  extra: readonly [string, string][] = [],
): void {
  const base = service.baseUrl;
  io.out(`${pc.bold(pc.green(title))} ${pc.dim(`(ready in ${service.readyMs} ms)`)}`);
  const rows: [string, string][] = [
    ['API', `${base}/api/workflows   (OpenAPI ${base}/api/docs)`],
    ['Metrics', `${base}/metrics`],
    ...service.sidecars.flatMap((s) => s.urls),
    [
      'Store',
      config.storage.mode === 'embedded'
        ? `embedded ClickHouse in ${config.storage.dataDir}`
        : `ClickHouse at ${config.storage.url}`,
    ],
    ['Grafana', 'docker compose up grafana, then http://localhost:3000 (see README)'],
    ...extra,
  ];
  for (const [label, value] of rows) io.out(`  ${pc.cyan(label.padEnd(10))} ${value}`);
}

/**
 * Resolves with the signal's name at the first SIGINT or SIGTERM (a second one forces the exit).
 * `onSignal` runs first, so the caller can print and start shutting down at once.
 */
export function untilSignal(io: CliIo, onSignal: (signal: string) => void = () => undefined): Promise<string> {
  return new Promise<string>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        io.err('kaizen: forced exit');
        process.exit(130);
      }
      stopping = true;
      onSignal(signal);
      resolve(signal);
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
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
  const service = await startService(io, config, sidecars);
  printService(io, config, service, title);
  io.out(pc.dim('Press Ctrl+C to stop.'));
  await untilSignal(io, (signal) => io.out(pc.dim(`${signal}: shutting down…`)));
  await service.stop().catch((e: unknown) => service.logger.error({ err: e }, 'shutdown failed'));
  io.out('Stopped.');
}
