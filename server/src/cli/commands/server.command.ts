import type { Command } from 'commander';
import { configFrom, runCommand, type CliIo } from '../cli-runtime.js';
import { runService } from '../service.runtime.js';

/** `kaizen server`: the API and /metrics over the store, without an OTLP receiver. */
export function registerServer(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('server')
    .description('run the API and /metrics (with KAIZEN_CLICKHOUSE_URL, beside a separate collector)')
    .action(async () => {
      setExit(await runCommand('server', io, () => runService(io, configFrom(io), [], 'Kaizen service is up')));
    });
}
