import {
  ClickHouseQueryError,
  openStorage,
  READONLY_FORMATS,
  ReadOnlySql,
  StorageLockedError,
  type QueryParamValue,
  type ReadOnlyFormat,
} from '@kaizen/clickhouse';
import type { Command } from 'commander';
import { CliError, configFrom, runCommand, type CliIo } from '../cli-runtime.js';
import { ServiceClient } from '../service-client.js';

function parseParams(list: readonly string[]): Record<string, QueryParamValue> {
  const out: Record<string, QueryParamValue> = {};
  for (const item of list) {
    const i = item.indexOf('=');
    const name = i < 0 ? '' : item.slice(0, i);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new CliError(`--param must look like name=value; got "${item}"`, 2);
    out[name] = item.slice(i + 1);
  }
  return out;
}

/**
 * `kaizen sql "<query>"`: read-only SQL against the store. It opens the store itself when nothing
 * holds it, and otherwise goes through the running service (`kaizen up`) that does.
 */
export function registerSql(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('sql')
    .description('run a read-only SQL query (through the running service if it holds the store)')
    .argument('<query>', 'one ClickHouse SELECT (bind values as {name:Type} with --param name=value)')
    .option('-f, --format <format>', `output format: ${Object.keys(READONLY_FORMATS).join(', ')}`, 'pretty')
    .option(
      '-p, --param <name=value>',
      'a bound parameter (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--url <url>', 'the service to ask (default: http://KAIZEN_HOST:KAIZEN_API_PORT)')
    .action(async (query: string, opts: { format: string; param: string[]; url?: string }) => {
      setExit(
        await runCommand('sql', io, async () => {
          if (!(opts.format in READONLY_FORMATS)) {
            throw new CliError(
              `--format must be one of ${Object.keys(READONLY_FORMATS).join(', ')}; got "${opts.format}"`,
              2,
            );
          }
          const format = opts.format as ReadOnlyFormat;
          const params = parseParams(opts.param);
          const config = configFrom(io);
          const viaService = async () => {
            const client = ServiceClient.fromConfig(config, opts.url);
            io.out((await client.ok('POST', '/api/sql', { query, format, params })).trimEnd());
          };
          if (opts.url) return viaService();
          let storage;
          try {
            storage = await openStorage(config.storage);
          } catch (e) {
            if (e instanceof StorageLockedError) return viaService();
            throw e;
          }
          try {
            const ro = await ReadOnlySql.open(storage, {
              maxExecutionSeconds: config.sql.timeoutSeconds,
              maxResultRows: config.sql.maxRows,
              maxResultBytes: 256 * 1024 * 1024,
              maxMemoryBytes: 2 * 1024 * 1024 * 1024,
            });
            try {
              io.out((await ro.run(query, format, params)).trimEnd());
            } catch (e) {
              if (e instanceof ClickHouseQueryError) throw new CliError(e.message);
              throw e;
            } finally {
              ro.close();
            }
          } finally {
            await storage.close();
          }
        }),
      );
    });
}
