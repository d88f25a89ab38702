import { ConfigError, loadConfig, type KaizenConfig } from '@kaizen/clickhouse';
import pc from 'picocolors';

/** A failure the user can act on: printed as one clear message, exit code 1 (2 for bad input). */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
};

/** Parses the environment once for a command; a bad variable is a CliError with exit code 2. */
export function configFrom(io: CliIo): KaizenConfig {
  try {
    return loadConfig(io.env);
  } catch (e) {
    if (e instanceof ConfigError) throw new CliError(e.message, 2);
    throw e;
  }
}

/** Runs a command body, turning any error into a message on stderr and an exit code. */
export async function runCommand(name: string, io: CliIo, body: () => Promise<void>): Promise<number> {
  try {
    await body();
    return 0;
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    io.err(pc.red(`kaizen ${name}: ${err.message}`));
    if (process.env['KAIZEN_DEBUG'] && err.stack) io.err(err.stack);
    return e instanceof CliError ? e.exitCode : 1;
  }
}
