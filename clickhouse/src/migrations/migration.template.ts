/**
 * Migration files are ClickHouse SQL with a few placeholders, so one file serves a single node and
 * a cluster:
 *
 *   {{database}}            the database (KAIZEN_CLICKHOUSE_DATABASE)
 *   {{on_cluster}}          `ON CLUSTER <name>` in cluster mode, nothing otherwise
 *   {{local:t}}             `t` on a single node; `t_local` in cluster mode, where `t` becomes a
 *                           Distributed table over it (see the `kaizen:distributed` directive)
 *   {{engine:E(args)}}      `E(args)`; `ReplicatedE(args)` in cluster mode (sharded by the Distributed table)
 *   {{engine_global:E(args)}} `E(args)`; in cluster mode a Replicated engine whose path has no shard,
 *                           so every node holds every row (prices, findings: small tables)
 *   {{ttl:expr}}            `TTL expr + toIntervalDay(N)` when KAIZEN_RETENTION_DAYS = N, nothing otherwise
 *
 * Directives are comment lines:
 *   -- kaizen:distributed <table> <sharding expression>
 *   -- kaizen:require-columns <table> <column,column,…>   (checked after the statements ran)
 */

export interface TemplateContext {
  readonly database: string;
  readonly cluster: string | undefined;
  readonly retentionDays: number | undefined;
}

export interface Directives {
  readonly distributed: readonly { table: string; shardingKey: string }[];
  readonly requireColumns: readonly { table: string; columns: readonly string[] }[];
  /** Tables with a `{{ttl:expr}}`, so a retention change can be applied to them. */
  readonly ttl: readonly { table: string; expr: string }[];
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function replicated(engine: string, args: string, global: boolean): string {
  if (!global) return `Replicated${engine}(${args})`;
  const path = `'/clickhouse/tables/{uuid}/all', '{shard}-{replica}'`;
  return `Replicated${engine}(${args.trim() === '' ? path : `${path}, ${args}`})`;
}

export function renderTemplate(text: string, ctx: TemplateContext): string {
  if (!IDENT.test(ctx.database)) throw new Error(`Invalid database name: ${ctx.database}`);
  if (ctx.cluster !== undefined && !IDENT.test(ctx.cluster)) throw new Error(`Invalid cluster name: ${ctx.cluster}`);
  const cluster = ctx.cluster;
  const out = text
    .replace(/\{\{database\}\}/g, ctx.database)
    .replace(/\{\{on_cluster\}\}/g, cluster ? `ON CLUSTER ${cluster}` : '')
    .replace(/\{\{local:([A-Za-z_][A-Za-z0-9_]*)\}\}/g, (_m, t: string) => (cluster ? `${t}_local` : t))
    .replace(
      /\{\{(engine|engine_global):([A-Za-z]+)\((.*?)\)\}\}/g,
      (_m, kind: string, engine: string, args: string) =>
        cluster ? replicated(engine, args, kind === 'engine_global') : `${engine}(${args})`,
    )
    .replace(/\{\{ttl:(.+?)\}\}/g, (_m, expr: string) =>
      ctx.retentionDays === undefined ? '' : `TTL ${expr} + toIntervalDay(${ctx.retentionDays})`,
    );
  const leftover = /\{\{[^}]*\}\}/.exec(out);
  if (leftover) throw new Error(`Unknown placeholder ${leftover[0]}`);
  return out;
}

export function parseDirectives(text: string): Directives {
  const distributed: { table: string; shardingKey: string }[] = [];
  const requireColumns: { table: string; columns: string[] }[] = [];
  const ttl: { table: string; expr: string }[] = [];
  for (const line of text.split('\n')) {
    const d = /^--\s*kaizen:distributed\s+([A-Za-z_][A-Za-z0-9_]*)\s+(.+?)\s*$/.exec(line);
    if (d) distributed.push({ table: d[1]!, shardingKey: d[2]! });
    const r = /^--\s*kaizen:require-columns\s+([A-Za-z_][A-Za-z0-9_]*)\s+(\S+)\s*$/.exec(line);
    if (r) requireColumns.push({ table: r[1]!, columns: r[2]!.split(',').filter(Boolean) });
  }
  // A CREATE TABLE … {{ttl:expr}} registers its table for retention changes.
  const create =
    /CREATE\s+TABLE\s+IF\s+NOT\s+EXISTS\s+\{\{database\}\}\.(?:\{\{local:)?([A-Za-z_][A-Za-z0-9_]*)(?:\}\})?[\s\S]*?;/g;
  for (const m of text.matchAll(create)) {
    const t = /\{\{ttl:(.+?)\}\}/.exec(m[0]);
    if (t) ttl.push({ table: m[1]!, expr: t[1]! });
  }
  return { distributed, requireColumns, ttl };
}

/**
 * Splits SQL into statements on `;` outside quotes and comments, and drops comments. Quotes may be
 * '…' (with \' or '' escapes), "…" or `…`.
 */
export function splitStatements(sqlText: string): string[] {
  const out: string[] = [];
  let cur = '';
  let i = 0;
  const n = sqlText.length;
  while (i < n) {
    const c = sqlText[i]!;
    if (c === '-' && sqlText[i + 1] === '-') {
      while (i < n && sqlText[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && sqlText[i + 1] === '*') {
      const end = sqlText.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < n) {
        if (sqlText[j] === '\\') {
          j += 2;
          continue;
        }
        if (sqlText[j] === c) {
          if (sqlText[j + 1] === c) {
            j += 2;
            continue;
          }
          break;
        }
        j++;
      }
      if (j >= n) throw new Error(`Unterminated ${c} quote in SQL near: ${sqlText.slice(i, i + 60)}`);
      cur += sqlText.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === ';') {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
      i++;
      continue;
    }
    cur += c;
    i++;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}
