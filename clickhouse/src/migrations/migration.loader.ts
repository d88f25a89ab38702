import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Migration {
  /** 1 for 0001_create_otel_traces.sql. */
  readonly version: number;
  /** The file name, e.g. 0001_create_otel_traces.sql. */
  readonly name: string;
  readonly text: string;
  /** sha256 of the file's text with \n line endings: an applied migration must never change. */
  readonly checksum: string;
}

/** The migrations shipped with this package. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

const NAME = /^(\d{4})_[a-z0-9]+(?:_[a-z0-9]+)*\.sql$/;

export function checksumOf(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex');
}

/** Reads `NNNN_verb_object.sql` files in order; refuses badly named files and duplicate numbers. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const seen = new Map<number, string>();
  return files.map((name) => {
    const m = NAME.exec(name);
    if (!m) throw new Error(`Migration file ${name} is not named NNNN_verb_object.sql`);
    const version = Number(m[1]);
    const other = seen.get(version);
    if (other) throw new Error(`Migrations ${other} and ${name} share the number ${m[1]}`);
    seen.set(version, name);
    const text = readFileSync(join(dir, name), 'utf8');
    return { version, name, text, checksum: checksumOf(text) };
  });
}
