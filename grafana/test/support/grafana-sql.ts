/**
 * Turns a dashboard's ClickHouse SQL into what Grafana and the ClickHouse data source plugin
 * (grafana-clickhouse-datasource v4.x) send to ClickHouse, in the plugin's order:
 *
 * 1. the browser side (`CHDatasource.applyTemplateVariables`): `$__conditionalAll(cond, $var)`
 *    first (innermost-last, as `applyConditionalAll` walks from the end), then Grafana's template
 *    service replaces `$var`, `${var}`, `${var:format}` and `[[var]]` (values without a format go
 *    through the plugin's own `format`: arrays become `'a','b'`, single values stay raw);
 * 2. the backend (`pkg/macros/macros.go`): `$__timeFilter(c)`, `$__timeFilter_ms(c)`,
 *    `$__fromTime`, `$__toTime`, `$__fromTime_ms`, `$__toTime_ms`, `$__dateFilter(c)`,
 *    `$__dateTimeFilter(d, t)` / `$__dt(d, t)`, `$__timeInterval(c)`, `$__timeInterval_ms(c)`,
 *    `$__interval_s`; arguments are trimmed, macros nest (inner ones expand first).
 *
 * Anything else that starts with `$` survives untouched, exactly as in Grafana, so a caller can
 * check that nothing is left over.
 */

export const ALL = '$__all';

export interface TemplateVariable {
  readonly name: string;
  /** The current value: a string, or an array for a multi-value variable ('$__all' = All). */
  readonly current: string | readonly string[];
  /** The values of every option (used when All is selected and there is no custom allValue). */
  readonly options?: readonly string[];
  readonly allValue?: string | null;
}

export interface QueryContext {
  readonly from: Date;
  readonly to: Date;
  /** The query interval Grafana computed for the panel, in milliseconds. */
  readonly intervalMs: number;
  readonly variables: readonly TemplateVariable[];
}

/** The backend macros this expander knows, so tests can reject anything else. */
export const BACKEND_MACROS = [
  'timeFilter',
  'timeFilter_ms',
  'fromTime',
  'toTime',
  'fromTime_ms',
  'toTime_ms',
  'dateFilter',
  'dateTimeFilter',
  'dt',
  'timeInterval',
  'timeInterval_ms',
  'interval_s',
] as const;

/** The macros the browser side of the plugin expands. */
export const FRONTEND_MACROS = ['conditionalAll'] as const;

// ---------------------------------------------------------------------------------------------
// 1. Browser side

/** The plugin's `getMacroArgs`: the arguments of the call whose '(' is at `argsIndex`. */
function macroArgs(query: string, argsIndex: number): string[] {
  const args: string[] = [];
  const re = /\(|\)|,/g;
  let depth = 0;
  let lastArgEnd = 1;
  const sub = query.substring(argsIndex);
  let m: RegExpExecArray | null;
  while ((m = re.exec(sub)) !== null) {
    const found = m[0];
    if (found === '(') depth++;
    else if (found === ')') depth--;
    if (found === ',' && depth === 1) {
      args.push(sub.substring(lastArgEnd, re.lastIndex - 1));
      lastArgEnd = re.lastIndex;
    }
    if (depth === 0) {
      args.push(sub.substring(lastArgEnd, re.lastIndex - 1));
      return args;
    }
  }
  return [];
}

function currentAsString(v: TemplateVariable | undefined): string | undefined {
  if (!v) return undefined;
  return Array.isArray(v.current) ? v.current.join(',') : (v.current as string);
}

/** `applyConditionalAll`: `cond` unless the variable is All or empty, then `1=1`. */
export function applyConditionalAll(rawQuery: string, variables: readonly TemplateVariable[]): string {
  const macro = '$__conditionalAll(';
  let query = rawQuery;
  let index = query.lastIndexOf(macro);
  while (index !== -1) {
    const params = macroArgs(query, index + macro.length - 1);
    if (params.length !== 2) return query;
    const [cond, varParam] = params as [string, string];
    const name = /(?<=\$\{)[\w\d]+(?=\})|(?<=\$)[\w\d]+/.exec(varParam.trim());
    let phrase = cond;
    if (name) {
      const value = currentAsString(variables.find((v) => v.name === name[0]));
      if (value === '' || value === ALL) phrase = '1=1';
    }
    query = query.replace(`${macro}${cond},${varParam})`, phrase);
    index = query.lastIndexOf(macro);
  }
  return query;
}

type Value = string | readonly string[];

const FORMATS: Record<string, (v: Value) => string> = {
  singlequote: (v) => {
    const q = (s: string) => `'${s.replace(/'/g, "\\'")}'`;
    return Array.isArray(v) ? v.map(q).join(',') : q(v as string);
  },
  doublequote: (v) => {
    const q = (s: string) => `"${s.replace(/"/g, '\\"')}"`;
    return Array.isArray(v) ? v.map(q).join(',') : q(v as string);
  },
  csv: (v) => (Array.isArray(v) ? v.join(',') : (v as string)),
  raw: (v) => (Array.isArray(v) ? v.join(',') : (v as string)),
};

/** The ClickHouse data source's `format`, used for variables written without a format. */
function pluginFormat(v: Value): string {
  return Array.isArray(v) ? `'${v.join("','")}'` : (v as string);
}

/** Grafana's variable syntaxes: $var, [[var]], [[var:fmt]], ${var}, ${var.field}, ${var:fmt}. */
const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}/g;

function resolvedValue(v: TemplateVariable): Value {
  const cur = v.current;
  const isAll = Array.isArray(cur) ? cur.length === 1 && cur[0] === ALL : cur === ALL;
  if (!isAll) return cur;
  return v.options ?? [];
}

/** Grafana's template service `replace(target, scopedVars, format)` for dashboard variables. */
export function replaceVariables(query: string, variables: readonly TemplateVariable[]): string {
  return query.replace(
    VARIABLE,
    (match, v1?: string, v2?: string, f2?: string, v3?: string, field?: string, f3?: string) => {
      const name = v1 ?? v2 ?? v3;
      const variable = variables.find((v) => v.name === name);
      if (!variable || field !== undefined) return match;
      const cur = variable.current;
      const isAll = Array.isArray(cur) ? cur.length === 1 && cur[0] === ALL : cur === ALL;
      if (isAll && variable.allValue) return variable.allValue;
      const fmt = f2 ?? f3;
      const value = resolvedValue(variable);
      if (fmt === undefined) return pluginFormat(value);
      const formatter = FORMATS[fmt];
      if (!formatter) throw new Error(`Variable format "${fmt}" (in ${match}) is not supported by this expander`);
      return formatter(value);
    },
  );
}

// ---------------------------------------------------------------------------------------------
// 2. Backend macros

const unix = (d: Date) => Math.floor(d.getTime() / 1000);
const dateTime = (d: Date) => `toDateTime(${unix(d)})`;
const dateTime64 = (d: Date) => `fromUnixTimestamp64Milli(${d.getTime()})`;
const date = (d: Date) => `toDate('${d.toISOString().slice(0, 10)}')`;

type Macro = (ctx: QueryContext, args: readonly string[]) => string;

function arity(name: string, want: number, args: readonly string[]): void {
  if (args.length !== want) throw new Error(`$__${name} expected ${want} argument(s), received ${args.length}`);
}

const MACROS: Record<(typeof BACKEND_MACROS)[number], Macro> = {
  timeFilter: (c, a) => {
    arity('timeFilter', 1, a);
    return `${a[0]} >= ${dateTime(c.from)} AND ${a[0]} <= ${dateTime(c.to)}`;
  },
  timeFilter_ms: (c, a) => {
    arity('timeFilter_ms', 1, a);
    return `${a[0]} >= ${dateTime64(c.from)} AND ${a[0]} <= ${dateTime64(c.to)}`;
  },
  fromTime: (c) => dateTime(c.from),
  toTime: (c) => dateTime(c.to),
  fromTime_ms: (c) => dateTime64(c.from),
  toTime_ms: (c) => dateTime64(c.to),
  dateFilter: (c, a) => {
    arity('dateFilter', 1, a);
    return `${a[0]} >= ${date(c.from)} AND ${a[0]} <= ${date(c.to)}`;
  },
  dateTimeFilter: (c, a) => dateTimeFilter(c, a, 'dateTimeFilter'),
  dt: (c, a) => dateTimeFilter(c, a, 'dt'),
  timeInterval: (c, a) => {
    arity('timeInterval', 1, a);
    return `toStartOfInterval(toDateTime(${a[0]}), INTERVAL ${intervalSeconds(c)} second)`;
  },
  timeInterval_ms: (c, a) => {
    arity('timeInterval_ms', 1, a);
    return `toStartOfInterval(toDateTime64(${a[0]}, 3), INTERVAL ${Math.max(Math.trunc(c.intervalMs), 1)} millisecond)`;
  },
  interval_s: (c) => String(intervalSeconds(c)),
};

function intervalSeconds(c: QueryContext): number {
  return Math.trunc(Math.max(c.intervalMs / 1000, 1));
}

function dateTimeFilter(c: QueryContext, a: readonly string[], name: string): string {
  arity(name, 2, a);
  const [d, t] = a as [string, string];
  return (
    `(${d} >= ${date(c.from)} AND ${d} <= ${date(c.to)}) AND ` +
    `(${t} >= ${dateTime(c.from)} AND ${t} <= ${dateTime(c.to)})`
  );
}

/** Splits `(a, f(b, c))` at top-level commas; returns the trimmed arguments and the end index. */
function callArgs(text: string, open: number): { args: string[]; end: number } | undefined {
  let depth = 0;
  let start = open + 1;
  const args: string[] = [];
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) {
        args.push(text.slice(start, i).trim());
        return { args: args.length === 1 && args[0] === '' ? [] : args, end: i + 1 };
      }
    } else if (c === ',' && depth === 1) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  return undefined;
}

/** The backend's `Interpolate`: expands every known `$__macro`, innermost first. */
export function expandBackendMacros(query: string, ctx: QueryContext): string {
  // Longest names first, so $__timeFilter_ms is not read as $__timeFilter followed by "_ms".
  const names = [...BACKEND_MACROS].sort((a, b) => b.length - a.length);
  const token = new RegExp(`\\$__(${names.join('|')})(?![\\w])`, 'g');
  let out = query;
  for (;;) {
    // The last macro in the text has no unexpanded macro inside its arguments.
    const matches = [...out.matchAll(token)];
    const m = matches.at(-1);
    if (!m) return out;
    const name = m[1] as (typeof BACKEND_MACROS)[number];
    const at = m.index;
    const after = at + m[0].length;
    const call = out[after] === '(' ? callArgs(out, after) : undefined;
    if (out[after] === '(' && !call) throw new Error(`Unbalanced parentheses after $__${name}`);
    const expanded = MACROS[name](ctx, call?.args ?? []);
    out = out.slice(0, at) + expanded + out.slice(call ? call.end : after);
  }
}

/** The whole pipeline: what ClickHouse receives for a panel's `rawSql`. */
export function expandQuery(rawSql: string, ctx: QueryContext): string {
  const browser = replaceVariables(applyConditionalAll(rawSql, ctx.variables), ctx.variables);
  return expandBackendMacros(browser, ctx);
}
