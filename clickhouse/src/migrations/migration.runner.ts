import { T } from '../schema/tables.js';
import { chTime, p, sql, UNSAFE_rawSql } from '../query/sql.js';
import type { Storage } from '../storage/storage.js';
import { loadMigrations, type Migration } from './migration.loader.js';
import { parseDirectives, renderTemplate, splitStatements, type TemplateContext } from './migration.template.js';

export interface MigrateOptions {
  /** A directory of migrations (default: the ones shipped with this package). */
  readonly dir?: string;
  readonly retentionDays?: number | undefined;
  /** Receives one line per step, e.g. for the CLI. */
  readonly log?: (line: string) => void;
}

export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
  readonly statements: number;
  readonly durationMs: number;
}

export interface MigrateResult {
  readonly applied: readonly AppliedMigration[];
  readonly upToDate: number;
  /** Set when KAIZEN_RETENTION_DAYS changed and the tables' TTL was changed to match. */
  readonly retentionChanged?: { readonly from: number | undefined; readonly to: number | undefined };
}

/** An applied migration's file changed: applied migrations are immutable. */
export class MigrationChecksumError extends Error {
  override readonly name = 'MigrationChecksumError';
  constructor(
    readonly migration: string,
    readonly applied: string,
    readonly current: string,
  ) {
    super(
      `Migration ${migration} was applied with checksum ${applied.slice(0, 12)}… but the file now has ` +
        `${current.slice(0, 12)}…. Applied migrations never change: restore the file and put the change ` +
        'in a new migration.',
    );
  }
}

/** A statement of a migration failed; nothing after it ran and the migration is not recorded. */
export class MigrationFailedError extends Error {
  override readonly name = 'MigrationFailedError';
  constructor(
    readonly migration: string,
    readonly statementIndex: number,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Migration ${migration} failed at statement ${statementIndex + 1}: ${reason}`, { cause });
  }
}

const LEDGER = `
CREATE TABLE IF NOT EXISTS {{database}}.${T.migrations} {{on_cluster}} (
    Version UInt32,
    Name String,
    Checksum String,
    AppliedAt DateTime64(3),
    DurationMs UInt32,
    Statements UInt32
) ENGINE = {{engine_global:ReplacingMergeTree(AppliedAt)}}
ORDER BY Version;

CREATE TABLE IF NOT EXISTS {{database}}.${T.schemaSettings} {{on_cluster}} (
    Key String,
    Value String,
    UpdatedAt DateTime64(3)
) ENGINE = {{engine_global:ReplacingMergeTree(UpdatedAt)}}
ORDER BY Key;
`;

export interface RenderedMigration {
  readonly version: number;
  readonly name: string;
  /** The statements, in order, including the Distributed tables of cluster mode. */
  readonly statements: readonly string[];
}

function distributedStatements(m: Migration, ctx: TemplateContext): string[] {
  if (!ctx.cluster) return [];
  return parseDirectives(m.text).distributed.map(
    (d) =>
      `CREATE TABLE IF NOT EXISTS ${ctx.database}.${d.table} ON CLUSTER ${ctx.cluster} ` +
      `AS ${ctx.database}.${d.table}_local ` +
      `ENGINE = Distributed(${ctx.cluster}, ${ctx.database}, ${d.table}_local, ${d.shardingKey})`,
  );
}

/** The SQL a set of migrations becomes for a single node or a cluster (used by tests and `--dry-run`). */
export function renderMigrations(migrations: readonly Migration[], ctx: TemplateContext): RenderedMigration[] {
  const bootstrap: RenderedMigration = {
    version: 0,
    name: 'ledger',
    statements: [
      `CREATE DATABASE IF NOT EXISTS ${ctx.database}${ctx.cluster ? ` ON CLUSTER ${ctx.cluster}` : ''} ENGINE = Atomic`,
      ...splitStatements(renderTemplate(LEDGER, ctx)),
    ],
  };
  return [
    bootstrap,
    ...migrations.map((m) => ({
      version: m.version,
      name: m.name,
      statements: [...splitStatements(renderTemplate(m.text, ctx)), ...distributedStatements(m, ctx)],
    })),
  ];
}

async function checkRequiredColumns(storage: Storage, m: Migration, ctx: TemplateContext): Promise<void> {
  for (const req of parseDirectives(m.text).requireColumns) {
    const table = ctx.cluster ? `${req.table}_local` : req.table;
    const rows = await storage.query<{ name: string }>(
      sql`SELECT name FROM system.columns WHERE database = ${p.string(ctx.database)} AND table = ${p.string(table)}`,
      { tag: 'migrate-columns' },
    );
    const have = new Set(rows.map((r) => r.name));
    const missing = req.columns.filter((c) => !have.has(c));
    if (missing.length > 0) {
      throw new Error(
        `Table ${ctx.database}.${table} exists but lacks the columns ${missing.join(', ')}; it was not created ` +
          'by the OpenTelemetry Collector Contrib ClickHouse exporter or by Kaizen, so Kaizen cannot adopt it.',
      );
    }
  }
}

async function readSetting(storage: Storage, key: string): Promise<string | undefined> {
  const rows = await storage.query<{ Value: string }>(
    sql`SELECT argMax(Value, UpdatedAt) AS Value FROM ${storage.table(T.schemaSettings)} WHERE Key = ${p.string(key)} GROUP BY Key`,
    { tag: 'migrate-settings' },
  );
  return rows[0]?.Value;
}

export async function writeSetting(storage: Storage, key: string, value: string): Promise<void> {
  await storage.insert(T.schemaSettings, [{ Key: key, Value: value, UpdatedAt: chTime() }], {
    tag: 'migrate-settings',
  });
}

export async function readSchemaSetting(storage: Storage, key: string): Promise<string | undefined> {
  return readSetting(storage, key);
}

async function applyRetention(
  storage: Storage,
  migrations: readonly Migration[],
  ctx: TemplateContext,
  log: (line: string) => void,
): Promise<MigrateResult['retentionChanged']> {
  const want = ctx.retentionDays === undefined ? '' : String(ctx.retentionDays);
  const have = await readSetting(storage, 'retention_days');
  if (have === want) return undefined;
  if (have !== undefined || want !== '') {
    for (const m of migrations) {
      for (const { table, expr } of parseDirectives(m.text).ttl) {
        const name = ctx.cluster && m.text.includes(`{{local:${table}}}`) ? `${table}_local` : table;
        const onCluster = ctx.cluster ? ` ON CLUSTER ${ctx.cluster}` : '';
        const change = want === '' ? 'REMOVE TTL' : `MODIFY TTL ${expr} + toIntervalDay(${want})`;
        await storage.command(UNSAFE_rawSql(`ALTER TABLE ${ctx.database}.${name}${onCluster} ${change}`), {
          tag: 'migrate-ttl',
        });
      }
    }
    log(`retention: ${have || 'forever'} → ${want || 'forever'} (TTL changed on every table)`);
  }
  await writeSetting(storage, 'retention_days', want);
  const num = (s: string | undefined) => (s === undefined || s === '' ? undefined : Number(s));
  return have === undefined && want === '' ? undefined : { from: num(have), to: num(want) };
}

/**
 * Creates or upgrades the schema: applies pending migrations in order, records each in the ledger
 * with its checksum, refuses an applied migration whose file changed, and applies a retention
 * change. Running it again is a no-op.
 */
export async function migrate(storage: Storage, opts: MigrateOptions = {}): Promise<MigrateResult> {
  const log = opts.log ?? (() => undefined);
  const ctx: TemplateContext = {
    database: storage.database,
    cluster: storage.cluster,
    retentionDays: opts.retentionDays,
  };
  const migrations = loadMigrations(opts.dir);
  const [bootstrap, ...rendered] = renderMigrations(migrations, ctx);
  for (const stmt of bootstrap!.statements) {
    await storage.command(UNSAFE_rawSql(stmt), { tag: 'migrate-ledger', idempotent: true });
  }

  const ledger = await storage.query<{ Version: number; Name: string; Checksum: string }>(
    sql`SELECT Version, argMax(Name, AppliedAt) AS Name, argMax(Checksum, AppliedAt) AS Checksum
        FROM ${storage.table(T.migrations)} GROUP BY Version ORDER BY Version`,
    { tag: 'migrate-ledger' },
  );
  const applied = new Map(ledger.map((r) => [Number(r.Version), r]));
  const known = new Set(migrations.map((m) => m.version));
  for (const v of applied.keys()) {
    if (!known.has(v)) {
      throw new Error(
        `The store has migration ${String(v).padStart(4, '0')} (${applied.get(v)!.Name}) that this version of ` +
          'Kaizen does not know: it was migrated by a newer Kaizen.',
      );
    }
  }
  for (const m of migrations) {
    const row = applied.get(m.version);
    if (row && row.Checksum !== m.checksum) throw new MigrationChecksumError(m.name, row.Checksum, m.checksum);
  }

  const done: AppliedMigration[] = [];
  for (const [i, m] of migrations.entries()) {
    if (applied.has(m.version)) continue;
    const statements = rendered[i]!.statements;
    const started = performance.now();
    for (const [k, stmt] of statements.entries()) {
      try {
        await storage.command(UNSAFE_rawSql(stmt), { tag: `migrate-${m.version}` });
      } catch (e) {
        throw new MigrationFailedError(m.name, k, e);
      }
    }
    await checkRequiredColumns(storage, m, ctx);
    const durationMs = Math.round(performance.now() - started);
    await storage.insert(
      T.migrations,
      [
        {
          Version: m.version,
          Name: m.name,
          Checksum: m.checksum,
          AppliedAt: chTime(),
          DurationMs: durationMs,
          Statements: statements.length,
        },
      ],
      { tag: 'migrate-ledger' },
    );
    done.push({ version: m.version, name: m.name, statements: statements.length, durationMs });
    log(`applied ${m.name} (${statements.length} statements, ${durationMs} ms)`);
  }

  const retentionChanged = await applyRetention(storage, migrations, ctx, log);
  return {
    applied: done,
    upToDate: migrations.length - done.length,
    ...(retentionChanged ? { retentionChanged } : {}),
  };
}
