import type { Command } from 'commander';
import pc from 'picocolors';
import { demoReportLines } from '../../demo/demo.report.js';
import { DEFAULT_DEMO_OPTIONS, runDemo, type DemoOptions } from '../../demo/demo.runner.js';
import { CliError, configFrom, runCommand, type CliIo } from '../cli-runtime.js';
import { printService, startService, untilSignal } from '../service.runtime.js';
import { collectorSidecar } from './up.command.js';

/** Where the demo keeps its store unless KAIZEN_DATA_DIR says otherwise (apart from the real `.kaizen`). */
const DEMO_DATA_DIR = '.kaizen-demo';

interface RawOptions {
  runs: string;
  seed: string;
  concurrency: string;
  latency: string;
  failureRate: string;
  exit?: boolean;
}

function int(raw: string, option: string, min: number, max: number): number {
  const v = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(v) || v < min || v > max) {
    throw new CliError(`${option} must be a whole number between ${min} and ${max}; got "${raw}"`, 2);
  }
  return v;
}

function rate(raw: string, option: string, max: number): number {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || v < 0 || v > max) {
    throw new CliError(`${option} must be a number between 0 and ${max}; got "${raw}"`, 2);
  }
  return v;
}

function parseDemoOptions(o: RawOptions): DemoOptions {
  return {
    runs: int(o.runs, '--runs', 1, 100_000),
    seed: int(o.seed, '--seed', 0, 2 ** 31),
    concurrency: int(o.concurrency, '--concurrency', 1, 64),
    latencyMs: int(o.latency, '--latency', 0, 10_000),
    failureRate: rate(o.failureRate, '--failure-rate', 0.5),
    exit: o.exit === true,
  };
}

/**
 * `kaizen demo`: the all-in-one on its own store, a realistic multi-agent app (the email crew,
 * real OpenAI, Anthropic and Google SDKs against a local mock LLM server) sending its spans over
 * OTLP, every run analysed, the waste report — then the all-in-one stays up to explore.
 */
export function registerDemo(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const d = DEFAULT_DEMO_OPTIONS;
  program
    .command('demo')
    .description('run a multi-agent demo app against a local mock LLM, find and price its waste, then stay up')
    .option('--runs <n>', 'workflow runs of the demo app', String(d.runs))
    .option('--seed <n>', 'seed of the runs and the mock answers (same seed, same demo)', String(d.seed))
    .option('--concurrency <n>', 'workflow runs at once', String(d.concurrency))
    .option('--latency <ms>', "the mock model's mean time to first byte", String(d.latencyMs))
    .option(
      '--failure-rate <rate>',
      'share of model calls the mock fails with 429/5xx (0 to 0.5)',
      String(d.failureRate),
    )
    .option('--exit', 'exit after the report instead of keeping the all-in-one running')
    .action(async (raw: RawOptions) => {
      setExit(
        await runCommand('demo', io, async () => {
          const options = parseDemoOptions(raw);
          // Its own store, and quiet logs (the report is the output) unless asked otherwise.
          const env = {
            ...io.env,
            KAIZEN_DATA_DIR: io.env['KAIZEN_DATA_DIR'] || DEMO_DATA_DIR,
            KAIZEN_LOG_LEVEL: io.env['KAIZEN_LOG_LEVEL'] || 'warn',
          };
          const config = configFrom({ ...io, env });
          const abort = new AbortController();
          const signalled = untilSignal(io, (signal) => {
            io.out(pc.dim(`${signal}: shutting down…`));
            abort.abort();
          });
          io.out(
            `${pc.bold('Kaizen demo')} ${pc.dim(`— ${options.runs} runs of a customer-email crew, seed ${options.seed}`)}`,
          );
          const service = await startService(io, config, [collectorSidecar]);
          try {
            const report = await runDemo({ io, config, service, signal: abort.signal }, options);
            if (!report) return;
            for (const line of demoReportLines(report)) io.out(line);
            if (options.exit) return;
            const base = service.baseUrl;
            io.out('');
            printService(io, config, service, 'Kaizen is up with the demo data', [
              ['Report', `npx kaizen report --since 1h --url ${base}`],
              ['MCP', `npx kaizen mcp --url ${base}   (for coding agents)`],
            ]);
            io.out(pc.dim('Press Ctrl+C to stop.'));
            await signalled;
          } finally {
            await service.stop().catch((e: unknown) => service.logger.error({ err: e }, 'shutdown failed'));
          }
          io.out('Stopped.');
        }),
      );
    });
}
