import { loadLibraryPrices, migrate, openStorage, renderMigrations, loadMigrations } from '@kaizen/clickhouse';
import type { Command } from 'commander';
import pc from 'picocolors';
import { configFrom, runCommand, type CliIo } from '../cli-runtime.js';

/** `kaizen migrate`: creates or upgrades the store and loads the price table. */
export function registerMigrate(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('migrate')
    .description('create or upgrade the ClickHouse schema and load prices (embedded by default, under .kaizen/)')
    .option('--print-sql', 'print the SQL the migrations render to for this configuration, and change nothing')
    .action(async (opts: { printSql?: boolean }) => {
      setExit(
        await runCommand('migrate', io, async () => {
          const config = configFrom(io);
          const { storage: sc } = config;
          if (opts.printSql) {
            const rendered = renderMigrations(loadMigrations(), {
              database: sc.database,
              cluster: sc.cluster,
              retentionDays: sc.retentionDays,
            });
            for (const m of rendered) {
              io.out(`-- ${m.name}`);
              for (const s of m.statements) io.out(`${s};\n`);
            }
            return;
          }
          const where = sc.mode === 'embedded' ? `embedded ClickHouse in ${sc.dataDir}` : `ClickHouse at ${sc.url}`;
          io.out(
            `${pc.bold('kaizen migrate')} — ${where}, database ${sc.database}${sc.cluster ? `, cluster ${sc.cluster}` : ''}`,
          );
          const storage = await openStorage(sc);
          try {
            const result = await migrate(storage, {
              retentionDays: sc.retentionDays,
              log: (line) => io.out(`  ${pc.green('✓')} ${line}`),
            });
            const prices = await loadLibraryPrices(storage);
            io.out(
              `  ${pc.green('✓')} prices ${prices.unchanged ? 'already loaded' : 'loaded'}: ${prices.version} ` +
                `(${prices.models} model rules from ${prices.providers} providers)`,
            );
            for (const s of prices.skipped)
              io.out(`  ${pc.yellow('!')} not priced: ${s.provider}/${s.model}: ${s.reason}`);
            io.out(
              result.applied.length === 0
                ? `Store up to date (${result.upToDate} migrations).`
                : `Store ready: applied ${result.applied.length} migration(s), ${result.upToDate} already applied.`,
            );
          } finally {
            await storage.close();
          }
        }),
      );
    });
}
