import { resolve } from 'node:path';
import type { Command } from 'commander';
import { GrafanaAssets } from '../../export/grafana-assets.js';
import { CliError, runCommand, type CliIo } from '../cli-runtime.js';

/** `kaizen export grafana|rules <dir>`: copies the dashboards or the alert rules Kaizen ships. */
export function registerExport(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('export')
    .description('copy the Grafana dashboards or the Prometheus alert rules into a directory')
    .argument('<what>', 'grafana | rules')
    .argument('<dir>', 'target directory (created if missing)')
    .action(async (what: string, dir: string) => {
      setExit(
        await runCommand('export', io, async () => {
          if (what !== 'grafana' && what !== 'rules')
            throw new CliError(`unknown export "${what}": use grafana or rules`, 2);
          const written = new GrafanaAssets().exportTo(what, resolve(dir));
          if (written.length === 0)
            throw new CliError(`no ${what === 'grafana' ? 'dashboards' : 'rule files'} found to export`);
          for (const f of written) io.out(f);
          await Promise.resolve();
        }),
      );
    });
}
