import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const KAIZEN_BIN = `${ROOT}server/bin/kaizen.js`;
export const CHILD_COLLECTOR = fileURLToPath(new URL('./child-collector.mjs', import.meta.url));

/** Child-process tests run the build: say so clearly when it is missing. */
export function requireBuild(): void {
  for (const f of ['collector/dist/index.js', 'clickhouse/dist/index.js', 'server/dist/cli/main.js'])
    if (!existsSync(`${ROOT}${f}`)) throw new Error(`${f} is not built: run "npm run build" first (npm test does).`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface Child {
  readonly proc: ChildProcess;
  stdout: string;
  stderr: string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Resolves once stdout matches. */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
}

export function startChild(args: readonly string[], env: Record<string, string>): Child {
  const proc = spawn(process.execPath, [...args], {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', NO_COLOR: '1', TZ: 'UTC', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const child: Child = {
    proc,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => proc.once('exit', (code) => resolve(code))),
    waitFor(pattern, ms = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = pattern.exec(child.stdout);
          if (m) {
            clearTimeout(timer);
            proc.stdout?.off('data', check);
            resolve(m);
          }
        };
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for ${pattern}: stdout ${child.stdout} stderr ${child.stderr}`)),
          ms,
        );
        proc.stdout?.on('data', check);
        void child.exited.then((code) => {
          clearTimeout(timer);
          if (!pattern.test(child.stdout)) reject(new Error(`exited (${code}) before ${pattern}: ${child.stderr}`));
        });
        check();
      });
    },
  };
  proc.stdout?.on('data', (b: Buffer) => (child.stdout += b.toString()));
  proc.stderr?.on('data', (b: Buffer) => (child.stderr += b.toString()));
  return child;
}
