/**
 * A tagged template for ClickHouse SQL that accepts only typed parameters, identifiers from
 * constants and other fragments — never a bare string or number. Values become server-side
 * bound parameters (`{p0:String}`), so no value is ever pasted into the SQL text.
 *
 *   sql`SELECT count() FROM ${table(T.genaiCalls)} WHERE TraceId = ${p.string(id)}`
 */

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

/** A bound parameter: a value and the ClickHouse type it is sent as. */
export class Param {
  constructor(
    readonly type: string,
    readonly value: unknown,
  ) {}
}

/** A table, column or database name; only names of letters, digits and underscores pass. */
export class Identifier {
  readonly text: string;
  constructor(name: string) {
    if (!IDENT.test(name)) throw new TypeError(`Not a safe SQL identifier: ${JSON.stringify(name)}`);
    this.text = name;
  }
}

export type SqlValue = Param | Identifier | Sql;

/** A fragment of SQL with its parameters. Build it with the `sql` tag only. */
export class Sql {
  /** @internal */
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly SqlValue[],
  ) {}
}

export function sql(strings: TemplateStringsArray, ...values: SqlValue[]): Sql {
  for (const v of values) {
    if (!(v instanceof Param || v instanceof Identifier || v instanceof Sql)) {
      throw new TypeError('sql`…` accepts only p.*() parameters, identifiers and sql fragments');
    }
  }
  return new Sql([...strings], values);
}

/** An empty fragment, handy for optional clauses. */
export const empty = new Sql([''], []);

export function ident(name: string): Identifier {
  return new Identifier(name);
}

/** Joins fragments with a separator written as SQL text (a comma, `AND`, …). */
export function join(fragments: readonly Sql[], separator: string): Sql {
  if (fragments.length === 0) return empty;
  const strings: string[] = [''];
  const values: SqlValue[] = [];
  fragments.forEach((f, i) => {
    if (i > 0) strings[strings.length - 1] += separator;
    values.push(f);
    strings.push('');
  });
  return new Sql(strings, values);
}

function toNsString(value: Date | bigint | string | number): string {
  // DateTime64(9) is sent as "seconds.nanoseconds": exact, and unambiguous across ClickHouse versions.
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new RangeError('Invalid Date');
    const secs = Math.floor(ms / 1000);
    const nanos = (ms - secs * 1000) * 1_000_000;
    return `${secs}.${String(nanos).padStart(9, '0')}`;
  }
  const ns = typeof value === 'bigint' ? value : BigInt(value);
  const neg = ns < 0n;
  const abs = neg ? -ns : ns;
  return `${neg ? '-' : ''}${abs / 1_000_000_000n}.${String(abs % 1_000_000_000n).padStart(9, '0')}`;
}

function finite(n: number, what: string): number {
  if (!Number.isFinite(n)) throw new RangeError(`${what} must be a finite number`);
  return n;
}

/** Typed parameter constructors. */
export const p = {
  string: (v: string) => new Param('String', v),
  uint8: (v: number) => new Param('UInt8', finite(v, 'UInt8')),
  uint32: (v: number) => new Param('UInt32', finite(v, 'UInt32')),
  int64: (v: number | bigint | string) => new Param('Int64', String(v)),
  uint64: (v: number | bigint | string) => new Param('UInt64', String(v)),
  float64: (v: number) => new Param('Float64', finite(v, 'Float64')),
  bool: (v: boolean) => new Param('Bool', v),
  /** A nanosecond timestamp: a Date, or nanoseconds since the epoch as a bigint or digit string. */
  dateTime64: (v: Date | bigint | string) => new Param('DateTime64(9)', toNsString(v)),
  dateTime: (v: Date) => new Param('DateTime', Math.floor(v.getTime() / 1000)),
  strings: (v: readonly string[]) => new Param('Array(String)', [...v]),
  uint64s: (v: readonly (number | bigint | string)[]) => new Param('Array(UInt64)', v.map(String)),
};

export interface RenderedSql {
  readonly text: string;
  readonly params: Record<string, unknown>;
}

/** Renders to text with `{pN:Type}` placeholders and the parameter map the client sends. */
export function render(q: Sql): RenderedSql {
  const params: Record<string, unknown> = {};
  let n = 0;
  const walk = (frag: Sql): string => {
    let out = frag.strings[0] ?? '';
    frag.values.forEach((v, i) => {
      if (v instanceof Param) {
        const name = `p${n++}`;
        params[name] = v.value;
        out += `{${name}:${v.type}}`;
      } else if (v instanceof Identifier) {
        out += v.text;
      } else {
        out += walk(v);
      }
      out += frag.strings[i + 1] ?? '';
    });
    return out;
  };
  return { text: walk(q), params };
}

/**
 * SQL text taken as it is. Only for trusted, static text that cannot carry a value: migration files
 * shipped with the package, and statements built from identifiers checked against a pattern.
 */
export function UNSAFE_rawSql(text: string): Sql {
  return new Sql([text], []);
}

/**
 * A DateTime64 value for JSONEachRow inserts: quoted "seconds.fraction", the seconds padded to ten
 * digits (ClickHouse reads shorter digit runs as a date, so a time before 2001 would be misread).
 * Never send a bare JS number (ClickHouse reads unquoted numbers as raw ticks up to 26.7 and as
 * seconds from 26.8). Times before 1970 are outside what Kaizen stores and are clamped to it.
 */
export function chTime(value: Date | number = new Date()): string {
  const ms = Math.max(typeof value === 'number' ? value : value.getTime(), 0);
  const secs = Math.floor(ms / 1000);
  return `${String(secs).padStart(10, '0')}.${String(Math.floor(ms - secs * 1000)).padStart(3, '0')}`;
}
