import { CONFIG_DOCS, type ConfigVariable } from './config.schema.js';

/** The sections of the configuration reference, each variable in exactly one (a test checks it). */
export const CONFIG_SECTIONS: readonly { title: string; intro: string; variables: readonly ConfigVariable[] }[] = [
  {
    title: 'Store',
    intro:
      'Where the data lives. With `KAIZEN_CLICKHOUSE_URL` unset, ClickHouse runs embedded (chDB) in the process, under `KAIZEN_DATA_DIR`.',
    variables: [
      'KAIZEN_CLICKHOUSE_URL',
      'KAIZEN_CLICKHOUSE_USER',
      'KAIZEN_CLICKHOUSE_PASSWORD',
      'KAIZEN_CLICKHOUSE_DATABASE',
      'KAIZEN_CLICKHOUSE_CLUSTER',
      'KAIZEN_DATA_DIR',
      'KAIZEN_RETENTION_DAYS',
    ],
  },
  {
    title: 'Listeners and security',
    intro: 'What listens where, and who may talk to it.',
    variables: [
      'KAIZEN_HOST',
      'KAIZEN_OTLP_HTTP_PORT',
      'KAIZEN_OTLP_GRPC_PORT',
      'KAIZEN_API_PORT',
      'KAIZEN_INGEST_TOKEN',
      'KAIZEN_API_TOKEN',
      'KAIZEN_METRICS_AUTH',
      'KAIZEN_CORS_ORIGINS',
      'KAIZEN_LOG_LEVEL',
    ],
  },
  {
    title: 'Collector',
    intro: 'The OTLP receiver: redaction before storage, size limits, memory and the on-disk spool.',
    variables: [
      'KAIZEN_REDACT_SECRETS',
      'KAIZEN_REDACT_PII',
      'KAIZEN_OTLP_MAX_BODY_BYTES',
      'KAIZEN_COLLECTOR_QUEUE_BYTES',
      'KAIZEN_SPOOL_MAX_BYTES',
    ],
  },
  {
    title: 'Analysis',
    intro:
      'Automatic analysis of quiet runs, and the Gemini judge (without a key, the local detectors do the whole job).',
    variables: [
      'KAIZEN_AUTO_ANALYZE',
      'KAIZEN_AUTO_ANALYZE_QUIET_SECONDS',
      'KAIZEN_AUTO_ANALYZE_CONCURRENCY',
      'GEMINI_API_KEY',
      'KAIZEN_GEMINI_MODEL',
      'KAIZEN_GEMINI_BASE_URL',
    ],
  },
  {
    title: 'Metrics, budgets and regressions',
    intro: 'What `/metrics` exports and how regressions are tested.',
    variables: [
      'KAIZEN_METRICS_TOP_N',
      'KAIZEN_DAILY_BUDGET_USD',
      'KAIZEN_REGRESSION_MIN_RUNS',
      'KAIZEN_REGRESSION_WINDOW_MINUTES',
      'KAIZEN_REGRESSION_INTERVAL_SECONDS',
    ],
  },
  {
    title: 'Read-only SQL',
    intro: 'Limits of `POST /api/sql`, `kaizen sql` and the MCP `query_sql` tool.',
    variables: ['KAIZEN_SQL_MAX_ROWS', 'KAIZEN_SQL_TIMEOUT_SECONDS'],
  },
  {
    title: 'Content capture (instrumentation)',
    intro:
      'Set in your apps, for `@kaizen/instrumentation` (the standard `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=false` works too); the service only validates it.',
    variables: ['KAIZEN_CAPTURE_CONTENT'],
  },
];

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** docs/configuration.md, written from the schema's own descriptions (`npm run docs:config`). */
export function configReference(): string {
  const lines = [
    '# Configuration reference',
    '',
    '<!-- Written by `npm run docs:config` from clickhouse/src/config (CONFIG_DOCS); do not edit by hand. -->',
    '',
    'Every setting is an environment variable, read once when a command starts and validated against one',
    'schema. An empty value counts as unset. A bad value stops the command with exit code 2 and a message',
    'naming the variable, what it got (never the value of a secret) and what it accepts — the text in the',
    'second column below.',
    '',
    'Apps instrumented with `@kaizen/instrumentation` use the standard OpenTelemetry variables',
    '(`OTEL_SERVICE_NAME`, `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_RESOURCE_ATTRIBUTES`,',
    '`OTEL_BSP_*`, `OTEL_SDK_DISABLED`), plus `KAIZEN_INGEST_TOKEN` and `KAIZEN_CAPTURE_CONTENT`; see',
    '[instrumentation/README.md](../instrumentation/README.md).',
  ];
  for (const section of CONFIG_SECTIONS) {
    lines.push('', `## ${section.title}`, '', section.intro, '', '| Variable | Accepts (default) |', '|---|---|');
    for (const v of section.variables) lines.push(`| \`${v}\` | ${cell(CONFIG_DOCS[v])} |`);
  }
  return `${lines.join('\n')}\n`;
}
