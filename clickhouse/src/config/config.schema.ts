import { z } from 'zod';

/**
 * The one schema over Kaizen's environment. Apps parse it once at start (`loadConfig(process.env)`)
 * and pass the typed result down; nothing else reads `process.env`.
 *
 * Every entry says what it accepts, and that text is what a user sees when the value is wrong.
 */

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

const port = (fallback: number) =>
  z
    .string()
    .trim()
    .default(String(fallback))
    .pipe(z.string().regex(/^\d{1,5}$/))
    .transform(Number)
    .pipe(z.number().int().min(1).max(65535));

const bool = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .default(String(fallback))
    .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']))
    .transform((v) => v === 'true' || v === '1' || v === 'yes' || v === 'on');

const positiveInt = (min: number, max: number) =>
  z.string().trim().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(min).max(max));

const token = z
  .string()
  .min(8)
  .max(4096)
  .regex(/^[\x21-\x7e]+$/);

const httpUrl = z
  .string()
  .trim()
  .pipe(z.url({ protocol: /^https?$/ }));

/** What each variable accepts, used verbatim in error messages and the configuration reference. */
export const CONFIG_DOCS = {
  KAIZEN_CLICKHOUSE_URL: 'an http(s) URL of a ClickHouse server, e.g. http://localhost:8123 (unset = embedded chDB)',
  KAIZEN_CLICKHOUSE_USER: 'a ClickHouse user name (default "default")',
  KAIZEN_CLICKHOUSE_PASSWORD: 'the ClickHouse password (no default)',
  KAIZEN_CLICKHOUSE_DATABASE: 'a database name of letters, digits and underscores (default "otel")',
  KAIZEN_CLICKHOUSE_CLUSTER: 'a ClickHouse cluster name of letters, digits and underscores (unset = single node)',
  KAIZEN_DATA_DIR: 'a directory path (default ".kaizen")',
  KAIZEN_INGEST_TOKEN: 'a bearer token of 8 to 4096 printable ASCII characters without spaces (unset = no auth)',
  KAIZEN_API_TOKEN: 'a bearer token of 8 to 4096 printable ASCII characters without spaces (unset = no auth)',
  KAIZEN_RETENTION_DAYS: 'a whole number of days between 1 and 36500 (unset = keep forever)',
  KAIZEN_CAPTURE_CONTENT: 'true or false (default true)',
  KAIZEN_REDACT_PII: 'true or false: also redact emails, phone numbers and card numbers (default false)',
  KAIZEN_REDACT_SECRETS: 'true or false: redact API keys, bearer tokens and private keys before storage (default true)',
  KAIZEN_OTLP_MAX_BODY_BYTES:
    'a whole number of bytes between 1024 and 1073741824: the largest OTLP request, counted after gzip (default 20971520)',
  KAIZEN_COLLECTOR_QUEUE_BYTES:
    'a whole number of bytes between 1048576 and 4294967296 of rows the collector holds in memory before it spools (default 134217728)',
  KAIZEN_SPOOL_MAX_BYTES:
    'a whole number of bytes between 1048576 and 1099511627776 the collector spool may use on disk (default 1073741824)',
  KAIZEN_OTLP_HTTP_PORT: 'a TCP port between 1 and 65535 (default 4318)',
  KAIZEN_OTLP_GRPC_PORT: 'a TCP port between 1 and 65535 (default 4317)',
  KAIZEN_API_PORT: 'a TCP port between 1 and 65535 (default 8000)',
  KAIZEN_HOST: 'an interface address to listen on (default 127.0.0.1)',
  KAIZEN_LOG_LEVEL: 'one of fatal, error, warn, info, debug, trace, silent (default info)',
  KAIZEN_METRICS_AUTH: 'true or false: also require KAIZEN_API_TOKEN on /metrics (default false)',
  KAIZEN_CORS_ORIGINS: 'a comma-separated list of http(s) origins allowed to call the API (unset = CORS off)',
  KAIZEN_DAILY_BUDGET_USD:
    'a positive number of US dollars per day, exported for the spend-burn alert (unset = no budget)',
  KAIZEN_AUTO_ANALYZE: 'true or false: analyse quiet workflow runs in the background (default true)',
  KAIZEN_AUTO_ANALYZE_QUIET_SECONDS:
    'a whole number of seconds between 5 and 86400 a run must be quiet before it is analysed (default 60)',
  KAIZEN_AUTO_ANALYZE_CONCURRENCY: 'a whole number between 1 and 16 of analyses run at once (default 2)',
  KAIZEN_METRICS_TOP_N:
    'a whole number between 1 and 200: label values kept per label, the rest become "other" (default 20)',
  KAIZEN_REGRESSION_MIN_RUNS:
    'a whole number between 3 and 100000 of runs each side of a regression comparison needs (default 20)',
  KAIZEN_REGRESSION_WINDOW_MINUTES:
    'a whole number of minutes between 1 and 1440: the recent window compared with the 24 hours before it (default 60)',
  KAIZEN_REGRESSION_INTERVAL_SECONDS:
    'a whole number of seconds between 1 and 3600 between regression checks (default 60)',
  KAIZEN_SQL_MAX_ROWS: 'a whole number between 1 and 1000000 of rows a read-only SQL query may return (default 10000)',
  KAIZEN_SQL_TIMEOUT_SECONDS: 'a whole number of seconds between 1 and 600 a read-only SQL query may run (default 10)',
  GEMINI_API_KEY: 'a Gemini API key (unset = local detectors only)',
  KAIZEN_GEMINI_MODEL: 'a Gemini model id (default gemini-2.5-flash)',
  KAIZEN_GEMINI_BASE_URL: "an http(s) URL of the Gemini API (default Google's endpoint)",
} as const;

export type ConfigVariable = keyof typeof CONFIG_DOCS;

const schema = z.object({
  KAIZEN_CLICKHOUSE_URL: httpUrl.optional(),
  KAIZEN_CLICKHOUSE_USER: z.string().min(1).max(256).default('default'),
  KAIZEN_CLICKHOUSE_PASSWORD: z.string().max(4096).optional(),
  KAIZEN_CLICKHOUSE_DATABASE: z.string().regex(IDENTIFIER).max(128).default('otel'),
  KAIZEN_CLICKHOUSE_CLUSTER: z.string().regex(IDENTIFIER).max(128).optional(),
  KAIZEN_DATA_DIR: z.string().trim().min(1).max(4096).default('.kaizen'),
  KAIZEN_INGEST_TOKEN: token.optional(),
  KAIZEN_API_TOKEN: token.optional(),
  KAIZEN_RETENTION_DAYS: positiveInt(1, 36500).optional(),
  KAIZEN_CAPTURE_CONTENT: bool(true),
  KAIZEN_REDACT_PII: bool(false),
  KAIZEN_REDACT_SECRETS: bool(true),
  KAIZEN_OTLP_MAX_BODY_BYTES: positiveInt(1024, 1024 ** 3).default(20 * 1024 ** 2),
  KAIZEN_COLLECTOR_QUEUE_BYTES: positiveInt(1024 ** 2, 4 * 1024 ** 3).default(128 * 1024 ** 2),
  KAIZEN_SPOOL_MAX_BYTES: positiveInt(1024 ** 2, 1024 ** 4).default(1024 ** 3),
  KAIZEN_OTLP_HTTP_PORT: port(4318),
  KAIZEN_OTLP_GRPC_PORT: port(4317),
  KAIZEN_API_PORT: port(8000),
  KAIZEN_HOST: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .regex(/^[A-Za-z0-9.:_-]+$/)
    .default('127.0.0.1'),
  KAIZEN_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KAIZEN_METRICS_AUTH: bool(false),
  KAIZEN_CORS_ORIGINS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ protocol: /^https?$/ })).min(1))
    .optional(),
  KAIZEN_DAILY_BUDGET_USD: z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/)
    .transform(Number)
    .pipe(z.number().positive().max(1e9))
    .optional(),
  KAIZEN_AUTO_ANALYZE: bool(true),
  KAIZEN_AUTO_ANALYZE_QUIET_SECONDS: positiveInt(5, 86400).default(60),
  KAIZEN_AUTO_ANALYZE_CONCURRENCY: positiveInt(1, 16).default(2),
  KAIZEN_METRICS_TOP_N: positiveInt(1, 200).default(20),
  KAIZEN_REGRESSION_MIN_RUNS: positiveInt(3, 100000).default(20),
  KAIZEN_REGRESSION_WINDOW_MINUTES: positiveInt(1, 1440).default(60),
  KAIZEN_REGRESSION_INTERVAL_SECONDS: positiveInt(1, 3600).default(60),
  KAIZEN_SQL_MAX_ROWS: positiveInt(1, 1_000_000).default(10_000),
  KAIZEN_SQL_TIMEOUT_SECONDS: positiveInt(1, 600).default(10),
  GEMINI_API_KEY: z.string().min(1).max(4096).optional(),
  KAIZEN_GEMINI_MODEL: z
    .string()
    .regex(/^[A-Za-z0-9._\/-]+$/)
    .max(200)
    .default('gemini-2.5-flash'),
  KAIZEN_GEMINI_BASE_URL: httpUrl.optional(),
});

type Raw = z.output<typeof schema>;

// Every variable has its description, and every description a variable: the compiler checks both.
const DOCS_COVER_SCHEMA: Record<keyof typeof schema.shape, string> = CONFIG_DOCS;
const SCHEMA_COVERS_DOCS: Record<ConfigVariable, unknown> = schema.shape;
void DOCS_COVER_SCHEMA;
void SCHEMA_COVERS_DOCS;
const VARIABLES = Object.keys(schema.shape) as (keyof typeof schema.shape)[];

export interface StorageConfig {
  /** `embedded` runs chDB in this process under `dataDir`; `server` speaks HTTP to `url`. */
  readonly mode: 'embedded' | 'server';
  readonly url: string | undefined;
  readonly user: string;
  readonly password: string | undefined;
  readonly database: string;
  readonly cluster: string | undefined;
  readonly dataDir: string;
  readonly retentionDays: number | undefined;
}

export interface KaizenConfig {
  readonly storage: StorageConfig;
  readonly host: string;
  readonly ports: { readonly otlpHttp: number; readonly otlpGrpc: number; readonly api: number };
  readonly ingestToken: string | undefined;
  readonly apiToken: string | undefined;
  readonly captureContent: boolean;
  readonly redactPii: boolean;
  readonly collector: {
    readonly redactSecrets: boolean;
    readonly maxBodyBytes: number;
    readonly queueBytes: number;
    readonly spoolMaxBytes: number;
  };
  readonly logLevel: Raw['KAIZEN_LOG_LEVEL'];
  readonly api: {
    readonly metricsAuth: boolean;
    readonly corsOrigins: readonly string[] | undefined;
    readonly dailyBudgetUsd: number | undefined;
    readonly metricsTopN: number;
  };
  readonly autoAnalyze: { readonly enabled: boolean; readonly quietSeconds: number; readonly concurrency: number };
  readonly regressions: { readonly minRuns: number; readonly windowMinutes: number; readonly intervalSeconds: number };
  readonly sql: { readonly maxRows: number; readonly timeoutSeconds: number };
  readonly gemini: {
    readonly apiKey: string | undefined;
    readonly model: string;
    readonly baseUrl: string | undefined;
  };
}

/** An invalid environment. `problems` names each variable, what it got and what it accepts. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p.message}`).join('\n')}`);
  }
}

function describeValue(value: string | undefined): string {
  if (value === undefined) return 'nothing';
  const s = value;
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);
}

const SECRET = new Set(['KAIZEN_CLICKHOUSE_PASSWORD', 'KAIZEN_INGEST_TOKEN', 'KAIZEN_API_TOKEN', 'GEMINI_API_KEY']);

/**
 * Parses the environment once. Empty strings count as unset (a common result of `FOO= cmd`).
 * Throws {@link ConfigError} naming every invalid variable.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): KaizenConfig {
  const input: Record<string, string> = {};
  for (const key of VARIABLES) {
    const v = env[key];
    if (v !== undefined && v !== '') input[key] = v;
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const seen = new Set<string>();
    const problems: { variable: string; message: string }[] = [];
    for (const issue of parsed.error.issues) {
      const variable = String(issue.path[0] ?? '');
      if (seen.has(variable)) continue;
      seen.add(variable);
      const accepts = CONFIG_DOCS[variable as ConfigVariable] ?? 'a valid value';
      const got = SECRET.has(variable) ? 'an invalid value' : describeValue(input[variable]);
      problems.push({ variable, message: `${variable} must be ${accepts}; got ${got}` });
    }
    throw new ConfigError(problems);
  }
  const c = parsed.data;
  return {
    storage: {
      mode: c.KAIZEN_CLICKHOUSE_URL === undefined ? 'embedded' : 'server',
      url: c.KAIZEN_CLICKHOUSE_URL,
      user: c.KAIZEN_CLICKHOUSE_USER,
      password: c.KAIZEN_CLICKHOUSE_PASSWORD,
      database: c.KAIZEN_CLICKHOUSE_DATABASE,
      cluster: c.KAIZEN_CLICKHOUSE_CLUSTER,
      dataDir: c.KAIZEN_DATA_DIR,
      retentionDays: c.KAIZEN_RETENTION_DAYS,
    },
    host: c.KAIZEN_HOST,
    ports: { otlpHttp: c.KAIZEN_OTLP_HTTP_PORT, otlpGrpc: c.KAIZEN_OTLP_GRPC_PORT, api: c.KAIZEN_API_PORT },
    ingestToken: c.KAIZEN_INGEST_TOKEN,
    apiToken: c.KAIZEN_API_TOKEN,
    captureContent: c.KAIZEN_CAPTURE_CONTENT,
    redactPii: c.KAIZEN_REDACT_PII,
    collector: {
      redactSecrets: c.KAIZEN_REDACT_SECRETS,
      maxBodyBytes: c.KAIZEN_OTLP_MAX_BODY_BYTES,
      queueBytes: c.KAIZEN_COLLECTOR_QUEUE_BYTES,
      spoolMaxBytes: c.KAIZEN_SPOOL_MAX_BYTES,
    },
    logLevel: c.KAIZEN_LOG_LEVEL,
    api: {
      metricsAuth: c.KAIZEN_METRICS_AUTH,
      corsOrigins: c.KAIZEN_CORS_ORIGINS,
      dailyBudgetUsd: c.KAIZEN_DAILY_BUDGET_USD,
      metricsTopN: c.KAIZEN_METRICS_TOP_N,
    },
    sql: { maxRows: c.KAIZEN_SQL_MAX_ROWS, timeoutSeconds: c.KAIZEN_SQL_TIMEOUT_SECONDS },
    regressions: {
      minRuns: c.KAIZEN_REGRESSION_MIN_RUNS,
      windowMinutes: c.KAIZEN_REGRESSION_WINDOW_MINUTES,
      intervalSeconds: c.KAIZEN_REGRESSION_INTERVAL_SECONDS,
    },
    autoAnalyze: {
      enabled: c.KAIZEN_AUTO_ANALYZE,
      quietSeconds: c.KAIZEN_AUTO_ANALYZE_QUIET_SECONDS,
      concurrency: c.KAIZEN_AUTO_ANALYZE_CONCURRENCY,
    },
    gemini: { apiKey: c.GEMINI_API_KEY, model: c.KAIZEN_GEMINI_MODEL, baseUrl: c.KAIZEN_GEMINI_BASE_URL },
  };
}
