import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Another live collector owns this spool directory. */
export class SpoolLockedError extends Error {
  override readonly name = 'SpoolLockedError';
  constructor(
    readonly dir: string,
    readonly holderPid: number,
  ) {
    super(
      `The collector spool ${dir} is in use by another process (PID ${holderPid}): one collector per KAIZEN_DATA_DIR. ` +
        'Stop that process, or point KAIZEN_DATA_DIR at another directory.',
    );
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A PID file that keeps two collectors from replaying one spool. A lock left by a process that no
 * longer runs (a kill -9) is taken over.
 */
export function lockSpool(dir: string): () => void {
  const file = join(dir, 'LOCK');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) throw new SpoolLockedError(dir, holder);
      rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock the collector spool ${dir}`);
}
