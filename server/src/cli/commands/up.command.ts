import { PortInUseError, startCollector } from '@kaizen/collector';
import type { Command } from 'commander';
import { CliError, configFrom, runCommand, type CliIo } from '../cli-runtime.js';
import { runService, type SidecarStarter } from '../service.runtime.js';

/** The collector as a sidecar of the all-in-one: same process, same store, same /metrics registry. */
export const collectorSidecar: SidecarStarter = async ({ config, storage, registry, logger }) => {
  let running;
  try {
    running = await startCollector({ storage, config, registry, logger });
  } catch (e) {
    if (e instanceof PortInUseError) throw new CliError(e.message);
    throw e;
  }
  let closed = false;
  const host = running.host === '0.0.0.0' || running.host === '::' ? '127.0.0.1' : running.host;
  return {
    name: 'collector',
    urls: [
      ['OTLP/HTTP', `http://${host}:${running.httpPort}   (OTEL_EXPORTER_OTLP_ENDPOINT)`],
      ['OTLP/gRPC', `http://${host}:${running.grpcPort}`],
    ],
    alive: () => !closed,
    async close() {
      closed = true;
      await running.close();
    },
  };
};

/** `kaizen up`: everything in one process — embedded store, collector, API and /metrics. */
export function registerUp(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('up')
    .description('run everything in one process: embedded ClickHouse, the OTLP collector, the API and /metrics')
    .action(async () => {
      setExit(await runCommand('up', io, () => runService(io, configFrom(io), [collectorSidecar], 'Kaizen is up')));
    });
}
