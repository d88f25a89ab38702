import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/config.schema.js';

const problem = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe(loadConfig.name, () => {
  it('applies the defaults of the contract', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      storage: {
        mode: 'embedded',
        database: 'otel',
        dataDir: '.kaizen',
        user: 'default',
        cluster: undefined,
        retentionDays: undefined,
      },
      host: '127.0.0.1',
      ports: { otlpHttp: 4318, otlpGrpc: 4317, api: 8000 },
      captureContent: true,
      redactPii: false,
      collector: { redactSecrets: true, maxBodyBytes: 20971520, queueBytes: 134217728, spoolMaxBytes: 1073741824 },
      ingestToken: undefined,
      apiToken: undefined,
      gemini: { apiKey: undefined, model: 'gemini-2.5-flash' },
      api: { metricsAuth: false, corsOrigins: undefined, dailyBudgetUsd: undefined, metricsTopN: 20 },
      autoAnalyze: { enabled: true, quietSeconds: 60, concurrency: 2 },
    });
    expect(
      loadConfig({ KAIZEN_CORS_ORIGINS: 'https://a.example, http://localhost:3000', KAIZEN_DAILY_BUDGET_USD: '250.5' })
        .api,
    ).toMatchObject({
      corsOrigins: ['https://a.example', 'http://localhost:3000'],
      dailyBudgetUsd: 250.5,
    });
  });

  it('switches to server mode when a URL is set, and treats empty values as unset', () => {
    const c = loadConfig({
      KAIZEN_CLICKHOUSE_URL: 'http://ch:8123',
      KAIZEN_CLICKHOUSE_CLUSTER: 'prod_2s',
      KAIZEN_API_TOKEN: '',
      KAIZEN_RETENTION_DAYS: '30',
    });
    expect(c.storage).toMatchObject({ mode: 'server', url: 'http://ch:8123', cluster: 'prod_2s', retentionDays: 30 });
    expect(c.apiToken).toBeUndefined();
  });

  it.each([
    ['KAIZEN_CLICKHOUSE_URL', 'ftp://x', /KAIZEN_CLICKHOUSE_URL must be an http\(s\) URL/],
    [
      'KAIZEN_CLICKHOUSE_DATABASE',
      'otel; DROP',
      /KAIZEN_CLICKHOUSE_DATABASE must be a database name of letters, digits and underscores.*; got "otel; DROP"/,
    ],
    ['KAIZEN_CLICKHOUSE_CLUSTER', 'a-b', /KAIZEN_CLICKHOUSE_CLUSTER must be a ClickHouse cluster name/],
    [
      'KAIZEN_RETENTION_DAYS',
      '0',
      /KAIZEN_RETENTION_DAYS must be a whole number of days between 1 and 36500.*; got "0"/,
    ],
    ['KAIZEN_RETENTION_DAYS', '7.5', /KAIZEN_RETENTION_DAYS must be a whole number/],
    ['KAIZEN_CAPTURE_CONTENT', 'maybe', /KAIZEN_CAPTURE_CONTENT must be true or false/],
    ['KAIZEN_REDACT_PII', '2', /KAIZEN_REDACT_PII must be true or false/],
    ['KAIZEN_REDACT_SECRETS', 'nope', /KAIZEN_REDACT_SECRETS must be true or false/],
    ['KAIZEN_OTLP_MAX_BODY_BYTES', '10', /KAIZEN_OTLP_MAX_BODY_BYTES must be a whole number of bytes between 1024 and/],
    ['KAIZEN_COLLECTOR_QUEUE_BYTES', '64MB', /KAIZEN_COLLECTOR_QUEUE_BYTES must be a whole number of bytes/],
    ['KAIZEN_SPOOL_MAX_BYTES', '0', /KAIZEN_SPOOL_MAX_BYTES must be a whole number of bytes between 1048576/],
    ['KAIZEN_OTLP_HTTP_PORT', '70000', /KAIZEN_OTLP_HTTP_PORT must be a TCP port between 1 and 65535.*; got "70000"/],
    ['KAIZEN_OTLP_GRPC_PORT', 'abc', /KAIZEN_OTLP_GRPC_PORT must be a TCP port/],
    ['KAIZEN_API_PORT', '-1', /KAIZEN_API_PORT must be a TCP port/],
    ['KAIZEN_HOST', 'bad host', /KAIZEN_HOST must be an interface address/],
    [
      'KAIZEN_INGEST_TOKEN',
      'short',
      /KAIZEN_INGEST_TOKEN must be a bearer token of 8 to 4096 printable ASCII characters without spaces.*; got an invalid value/,
    ],
    ['KAIZEN_API_TOKEN', 'has a space', /KAIZEN_API_TOKEN must be a bearer token/],
    ['KAIZEN_LOG_LEVEL', 'loud', /KAIZEN_LOG_LEVEL must be one of fatal, error/],
    ['KAIZEN_GEMINI_MODEL', 'gemini 2', /KAIZEN_GEMINI_MODEL must be a Gemini model id/],
    ['KAIZEN_GEMINI_BASE_URL', 'not a url', /KAIZEN_GEMINI_BASE_URL must be an http\(s\) URL/],
    ['KAIZEN_METRICS_AUTH', 'sometimes', /KAIZEN_METRICS_AUTH must be true or false/],
    [
      'KAIZEN_CORS_ORIGINS',
      'https://ok.example, javascript:alert(1)',
      /KAIZEN_CORS_ORIGINS must be a comma-separated list of http\(s\) origins/,
    ],
    ['KAIZEN_DAILY_BUDGET_USD', '-5', /KAIZEN_DAILY_BUDGET_USD must be a positive number of US dollars per day/],
    ['KAIZEN_AUTO_ANALYZE', 'soon', /KAIZEN_AUTO_ANALYZE must be true or false/],
    [
      'KAIZEN_AUTO_ANALYZE_QUIET_SECONDS',
      '1',
      /KAIZEN_AUTO_ANALYZE_QUIET_SECONDS must be a whole number of seconds between 5 and 86400/,
    ],
    [
      'KAIZEN_AUTO_ANALYZE_CONCURRENCY',
      '64',
      /KAIZEN_AUTO_ANALYZE_CONCURRENCY must be a whole number between 1 and 16/,
    ],
    ['KAIZEN_METRICS_TOP_N', '0', /KAIZEN_METRICS_TOP_N must be a whole number between 1 and 200/],
    ['KAIZEN_SQL_MAX_ROWS', '0', /KAIZEN_SQL_MAX_ROWS must be a whole number between 1 and 1000000/],
    [
      'KAIZEN_SQL_TIMEOUT_SECONDS',
      '3600',
      /KAIZEN_SQL_TIMEOUT_SECONDS must be a whole number of seconds between 1 and 600/,
    ],
    ['KAIZEN_REGRESSION_MIN_RUNS', '2', /KAIZEN_REGRESSION_MIN_RUNS must be a whole number between 3 and 100000/],
    ['KAIZEN_REGRESSION_WINDOW_MINUTES', '0', /KAIZEN_REGRESSION_WINDOW_MINUTES must be a whole number of minutes/],
    [
      'KAIZEN_REGRESSION_INTERVAL_SECONDS',
      'often',
      /KAIZEN_REGRESSION_INTERVAL_SECONDS must be a whole number of seconds/,
    ],
  ])('names %s and what it accepts when it is %j', (variable, value, message) => {
    expect(problem({ [variable]: value })).toMatch(message);
  });

  it('never prints a secret it refuses', () => {
    expect(problem({ KAIZEN_API_TOKEN: 'secret x' })).not.toContain('secret x');
  });

  it('reports every invalid variable at once', () => {
    const msg = problem({ KAIZEN_API_PORT: 'x', KAIZEN_RETENTION_DAYS: 'y' });
    expect(msg).toMatch(/KAIZEN_API_PORT/);
    expect(msg).toMatch(/KAIZEN_RETENTION_DAYS/);
  });
});
