import { PortInUseError, SpoolLockedError, startCollector, type RunningCollector } from '@kaizen/collector';
import type { Command } from 'commander';
import pc from 'picocolors';
import { createLogger } from '../../common/logger.js';
import { CliError, configFrom, runCommand, type CliIo } from '../cli-runtime.js';
import { openPreparedStore, untilSignal } from '../service.runtime.js';

/**
 * `kaizen collector`: the OTLP receiver alone (HTTP 4318, gRPC 4317, /metrics on the HTTP port),
 * writing to the store the environment names. Stops on SIGINT/SIGTERM after answering every request
 * in flight and putting every acknowledged span into ClickHouse or the spool.
 */
export function registerCollector(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('collector')
    .description('run the OTLP collector alone (OTLP/HTTP 4318, OTLP/gRPC 4317), writing to the store')
    .action(async () => {
      setExit(
        await runCommand('collector', io, async () => {
          const config = configFrom(io);
          const logger = createLogger(config.logLevel);
          const started = performance.now();
          const storage = await openPreparedStore(config, io);
          let collector: RunningCollector;
          try {
            collector = await startCollector({ storage, config, logger });
          } catch (e) {
            await storage.close();
            if (e instanceof PortInUseError || e instanceof SpoolLockedError) throw new CliError(e.message);
            throw e;
          }
          const host = collector.host === '0.0.0.0' || collector.host === '::' ? '127.0.0.1' : collector.host;
          const http = `http://${host.includes(':') ? `[${host}]` : host}:${collector.httpPort}`;
          const grpc = `http://${host.includes(':') ? `[${host}]` : host}:${collector.grpcPort}`;
          io.out(
            `${pc.bold(pc.green('Kaizen collector is up'))} ${pc.dim(`(ready in ${Math.round(performance.now() - started)} ms)`)}`,
          );
          const rows: [string, string][] = [
            ['OTLP/HTTP', `${http}   (OTEL_EXPORTER_OTLP_ENDPOINT=${http})`],
            ['OTLP/gRPC', grpc],
            ['Metrics', `${http}/metrics`],
            [
              'Store',
              config.storage.mode === 'embedded'
                ? `embedded ClickHouse in ${config.storage.dataDir}`
                : `ClickHouse at ${config.storage.url}`,
            ],
            ['Spool', collector.spoolDir],
            [
              'Auth',
              config.ingestToken
                ? 'Authorization: Bearer <KAIZEN_INGEST_TOKEN> required'
                : 'none (KAIZEN_INGEST_TOKEN unset)',
            ],
          ];
          for (const [label, value] of rows) io.out(`  ${pc.cyan(label.padEnd(10))} ${value}`);
          io.out(pc.dim('Press Ctrl+C to stop.'));
          await untilSignal(io, (signal) => io.out(pc.dim(`${signal}: draining and shutting down…`)));
          await collector.close().catch((e: unknown) => logger.error({ err: e }, 'closing the collector failed'));
          await storage.close().catch((e: unknown) => logger.error({ err: e }, 'closing the store failed'));
          const s = collector.stats();
          io.out(`Stopped: ${s.written} items written, ${s.spoolBatches} batches left in the spool.`);
        }),
      );
    });
}
