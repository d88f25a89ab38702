import { Command } from 'commander';
import { processIo } from './cli-runtime.js';
import { registerAnalyze } from './commands/analyze.command.js';
import { registerDemo } from './commands/demo.command.js';
import { registerCollector } from './commands/collector.command.js';
import { registerExport } from './commands/export.command.js';
import { registerMcp } from './commands/mcp.command.js';
import { registerMigrate } from './commands/migrate.command.js';
import { registerServer } from './commands/server.command.js';
import { registerReport } from './commands/report.command.js';
import { registerSql } from './commands/sql.command.js';
import { registerUp } from './commands/up.command.js';

/** Builds the `kaizen` program; commands live in ./commands, one file each. */
export function buildProgram(io = processIo, setExit: (code: number) => void = (c) => (process.exitCode = c)): Command {
  const program = new Command('kaizen')
    .description('Kaizen: find and price the waste in LLM and multi-agent applications')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .exitOverride((err) => {
      setExit(err.exitCode === 0 ? 0 : 2);
      throw err;
    });
  registerUp(program, io, setExit);
  registerMigrate(program, io, setExit);
  registerCollector(program, io, setExit);
  registerServer(program, io, setExit);
  registerExport(program, io, setExit);
  registerAnalyze(program, io, setExit);
  registerReport(program, io, setExit);
  registerSql(program, io, setExit);
  registerMcp(program, io, setExit);
  registerDemo(program, io, setExit);
  return program;
}

export async function main(argv: readonly string[] = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch {
    // commander already printed the usage error; the exit code is set.
  }
}

await main();
