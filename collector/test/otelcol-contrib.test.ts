/**
 * The production path: collector/otelcol-contrib.yaml for the OpenTelemetry Collector Contrib. No
 * otelcol binary runs here, so this checks what can be checked offline: the pipeline wiring, the
 * exporter writing into Kaizen's own tables without creating schema, the queue on file storage, and
 * that the redaction patterns catch the secrets Kaizen's collector redacts.
 */
import { readFileSync } from 'node:fs';
import { T } from '@kaizen/clickhouse';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Pipeline {
  receivers: string[];
  processors: string[];
  exporters: string[];
}
interface Config {
  extensions: Record<string, Record<string, unknown> | null>;
  receivers: { otlp: { protocols: { grpc: { endpoint: string }; http: { endpoint: string } } } };
  processors: Record<string, Record<string, unknown>>;
  exporters: {
    clickhouse: Record<string, unknown> & {
      sending_queue: Record<string, unknown>;
      retry_on_failure: Record<string, unknown>;
    };
  };
  service: { extensions: string[]; pipelines: Record<string, Pipeline> };
}

const config = parse(readFileSync(new URL('../otelcol-contrib.yaml', import.meta.url), 'utf8')) as Config;

describe('otelcol-contrib.yaml', () => {
  it('receives OTLP on the standard ports and writes traces and logs to the ClickHouse exporter', () => {
    expect(config.receivers.otlp.protocols.grpc.endpoint).toBe('0.0.0.0:4317');
    expect(config.receivers.otlp.protocols.http.endpoint).toBe('0.0.0.0:4318');
    for (const signal of ['traces', 'logs']) {
      const p = config.service.pipelines[signal];
      expect(p?.receivers).toEqual(['otlp']);
      expect(p?.processors[0]).toBe('memory_limiter');
      expect(p?.processors.at(-1)).toBe('batch');
      expect(p?.exporters).toEqual(['clickhouse']);
      for (const name of p?.processors ?? []) expect(config.processors[name], name).toBeDefined();
    }
  });

  it("inserts into Kaizen's tables without creating schema, queued on disk, retrying without a deadline", () => {
    const ch = config.exporters.clickhouse;
    expect(ch).toMatchObject({
      create_schema: false,
      traces_table_name: T.otelTraces,
      logs_table_name: T.otelLogs,
      database: '${env:KAIZEN_CLICKHOUSE_DATABASE:-otel}',
    });
    expect(ch.sending_queue).toMatchObject({ enabled: true, storage: 'file_storage/queue' });
    expect(ch.retry_on_failure).toMatchObject({ enabled: true, max_elapsed_time: '0s' });
    expect(config.extensions['file_storage/queue']).toMatchObject({ create_directory: true });
    expect(config.service.extensions).toEqual(expect.arrayContaining(['file_storage/queue', 'health_check']));
  });

  it('redacts the secrets Kaizen redacts (patterns checked as regular expressions)', () => {
    const redact = config.processors['transform/redact'] as Record<string, { statements: string[] }[]>;
    const statements = [...(redact['trace_statements'] ?? []), ...(redact['log_statements'] ?? [])].flatMap(
      (g) => g.statements,
    );
    const patterns = statements.map((st) => {
      const m = /^replace_(?:all_)?patterns?\((?:attributes|body), (?:"value", )?"((?:[^"\\]|\\.)*)", "/.exec(st);
      if (!m) throw new Error(`not a replace statement: ${st}`);
      // OTTL string literal → regular expression source (RE2; these patterns mean the same in JavaScript).
      const source = (m[1] ?? '').replace(/\\(.)/g, '$1');
      const insensitive = source.startsWith('(?i)');
      return new RegExp(insensitive ? source.slice(4) : source, insensitive ? 'i' : '');
    });
    expect(patterns.length).toBeGreaterThanOrEqual(6);
    const secrets = [
      'Authorization: Bearer abcdefghijklmnop1234',
      'key sk-proj-abcdefghijklmnopqrstuvwxyz0123',
      'AKIAABCDEFGHIJKLMNOP',
      `ghp_${'a'.repeat(36)}`,
      '-----BEGIN RSA PRIVATE KEY-----\\nMIIEpAIBAAKCAQEA7\\n-----END RSA PRIVATE KEY-----',
    ];
    for (const s of secrets)
      expect(
        patterns.some((re) => re.test(s)),
        s,
      ).toBe(true);
    for (const harmless of ['gen_ai.usage.input_tokens', 'a bear named Bearer', 'task-list-for-today'])
      expect(
        patterns.some((re) => re.test(harmless)),
        harmless,
      ).toBe(false);
  });
});
