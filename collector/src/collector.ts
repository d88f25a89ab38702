/**
 * `startCollector`: the OTLP/HTTP and OTLP/gRPC receivers, the redactor, the batch writer and its
 * spool, wired together. Embedded by the all-in-one (`kaizen up`, sharing its store and metrics
 * registry) and run alone by `kaizen collector`.
 */
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import type { KaizenConfig, Storage } from '@kaizen/clickhouse';
import { pino, type Logger } from 'pino';
import { Registry } from 'prom-client';
import { IngestAuth } from './auth/ingest-auth.js';
import { OtlpGrpcServer } from './grpc/otlp-grpc.server.js';
import { OtlpHttpServer } from './http/otlp-http.server.js';
import { ExportHandler } from './ingest/export-handler.js';
import { CollectorMetrics } from './metrics/collector-metrics.js';
import { Redactor } from './redaction/redactor.js';
import { lockSpool } from './spool/spool-lock.js';
import { Spool } from './spool/spool.js';
import { BatchWriter, DEFAULT_WRITER_OPTIONS, type WriterOptions, type WriterStats } from './writer/batch-writer.js';
import type { StorageProvider } from './writer/row-inserter.js';

export interface StartCollectorOptions {
  /** The store to write to, or a function returning the current one (so it can be swapped or be down). */
  readonly storage: Storage | StorageProvider;
  readonly config: KaizenConfig;
  /** Where the kaizen_collector_* metrics go (default: a registry of its own, never prom-client's global one). */
  readonly registry?: Registry;
  readonly logger?: Logger;
  /** Overrides config.host. */
  readonly host?: string;
  /** Overrides config.ports.otlpHttp (0 picks a free port). */
  readonly httpPort?: number;
  /** Overrides config.ports.otlpGrpc (0 picks a free port). */
  readonly grpcPort?: number;
  /** The spool directory (default: `spool` under KAIZEN_DATA_DIR). */
  readonly spoolDir?: string;
  /** Batching, queue and retry settings (defaults from config, then DEFAULT_WRITER_OPTIONS). */
  readonly writer?: Partial<WriterOptions>;
  /** Overrides config.collector.maxBodyBytes. */
  readonly maxBodyBytes?: number;
  /** Overrides config.collector.spoolMaxBytes. */
  readonly spoolMaxBytes?: number;
}

export interface CollectorStats extends WriterStats {
  readonly httpPort: number;
  readonly grpcPort: number;
}

export interface RunningCollector {
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly host: string;
  readonly registry: Registry;
  /** The spool directory (under KAIZEN_DATA_DIR). */
  readonly spoolDir: string;
  stats(): CollectorStats;
  /** Stops both receivers, answers every request in flight, and leaves nothing acknowledged in memory. */
  close(): Promise<void>;
}

/** A listening port is taken: names the port and the variable that moves it. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(
    readonly port: number,
    readonly variable: string,
    cause: unknown,
  ) {
    super(`Port ${port} is already in use (${variable}); stop what holds it or set ${variable} to another port.`, {
      cause,
    });
  }
}

function isAddrInUse(e: unknown): boolean {
  return /EADDRINUSE|address already in use|No address added out of total/i.test(
    `${(e as NodeJS.ErrnoException).code ?? ''} ${(e as Error).message}`,
  );
}

interface CollectorSettings {
  readonly spoolDir: string;
  readonly spoolMaxBytes: number;
  readonly maxBodyBytes: number;
}

function settingsOf(config: KaizenConfig, opts: StartCollectorOptions): CollectorSettings {
  return {
    spoolDir: opts.spoolDir ?? join(resolve(config.storage.dataDir), 'spool'),
    spoolMaxBytes: opts.spoolMaxBytes ?? config.collector.spoolMaxBytes,
    maxBodyBytes: opts.maxBodyBytes ?? config.collector.maxBodyBytes,
  };
}

export async function startCollector(opts: StartCollectorOptions): Promise<RunningCollector> {
  const { config } = opts;
  const log = (opts.logger ?? pino({ level: config.logLevel })).child({ component: 'collector' });
  const registry = opts.registry ?? new Registry();
  const metrics = new CollectorMetrics(registry);
  const settings = settingsOf(config, opts);
  const host = opts.host ?? config.host;
  const provider: StorageProvider = typeof opts.storage === 'function' ? opts.storage : () => opts.storage as Storage;

  const unlock = lockSpool(await ensureDir(settings.spoolDir));
  let http: OtlpHttpServer | undefined;
  let grpc: OtlpGrpcServer | undefined;
  try {
    const spool = await Spool.open(settings.spoolDir, settings.spoolMaxBytes);
    const writer = new BatchWriter(provider, spool, metrics, log, {
      ...DEFAULT_WRITER_OPTIONS,
      maxQueueBytes: config.collector.queueBytes,
      ...opts.writer,
    });
    const redactor = new Redactor({
      secrets: config.collector.redactSecrets,
      pii: config.redactPii,
      onRedact: (kind) => metrics.redacted(kind),
    });
    const handler = new ExportHandler(writer, redactor, metrics, log);
    const auth = new IngestAuth(config.ingestToken);
    const limits = {
      maxBodyBytes: settings.maxBodyBytes,
      maxInflightBytes: Math.max(settings.maxBodyBytes * 4, 64 << 20),
    };
    http = new OtlpHttpServer(handler, auth, metrics, registry, log, limits);
    grpc = new OtlpGrpcServer(handler, auth, metrics, log, limits);

    const wantHttp = opts.httpPort ?? config.ports.otlpHttp;
    const wantGrpc = opts.grpcPort ?? config.ports.otlpGrpc;
    http.server.listen(wantHttp, host);
    try {
      await once(http.server, 'listening');
    } catch (e) {
      throw isAddrInUse(e) ? new PortInUseError(wantHttp, 'KAIZEN_OTLP_HTTP_PORT', e) : e;
    }
    const address = http.server.address();
    const httpPort = typeof address === 'object' && address !== null ? address.port : wantHttp;
    let grpcPort: number;
    try {
      grpcPort = await grpc.bind(host, wantGrpc);
    } catch (e) {
      throw isAddrInUse(e) ? new PortInUseError(wantGrpc, 'KAIZEN_OTLP_GRPC_PORT', e) : e;
    }
    log.info({ httpPort, grpcPort, host, spool: settings.spoolDir }, 'OTLP collector listening');

    const httpReceiver = http;
    const httpServer = http.server;
    const grpcServer = grpc;
    let closing: Promise<void> | undefined;
    return {
      httpPort,
      grpcPort,
      host,
      registry,
      spoolDir: settings.spoolDir,
      stats: () => ({ ...writer.stats(), httpPort, grpcPort }),
      close: () =>
        (closing ??= (async () => {
          httpReceiver.draining = true;
          const httpClosed = new Promise<void>((r) => httpServer.close(() => r()));
          httpServer.closeIdleConnections();
          const grpcClosed = grpcServer.close(10_000);
          await writer.close();
          await Promise.race([httpClosed, new Promise((r) => setTimeout(r, 10_000).unref())]);
          httpServer.closeAllConnections();
          await grpcClosed;
          unlock();
          log.info('OTLP collector stopped');
        })()),
    };
  } catch (e) {
    http?.server.close();
    await grpc?.close(0);
    unlock();
    throw e;
  }
}

async function ensureDir(dir: string): Promise<string> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  return dir;
}
