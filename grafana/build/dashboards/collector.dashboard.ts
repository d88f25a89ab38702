import type { DashboardSpec, PrometheusPanel } from '../kit.ts';

const I = 'instance=~"$instance"';
const rate = (metric: string, by: string, filter = '') =>
  `sum by (${by}) (rate(${metric}{${I}${filter ? `, ${filter}` : ''}}[$__rate_interval]))`;

const series = (
  title: string,
  description: string,
  unit: string,
  targets: PrometheusPanel['targets'],
  w = 12,
): PrometheusPanel => ({ source: 'prometheus', kind: 'timeseries', title, description, unit, w, h: 8, targets });

export const collector: DashboardSpec = {
  file: 'collector',
  uid: 'kaizen-collector',
  title: 'Kaizen · Collector health',
  description:
    'Kaizen’s OTLP collector and service from Prometheus: intake, rejections, backlog, spool, ClickHouse writes, the analysis and the Gemini judge.',
  time: { from: 'now-3h', to: 'now' },
  variables: [
    {
      kind: 'prometheus',
      name: 'instance',
      label: 'Instance',
      description: 'A Kaizen process scraped by Prometheus',
      query: 'label_values(kaizen_collector_received_total, instance)',
    },
  ],
  panels: [
    {
      source: 'prometheus',
      kind: 'stat',
      title: 'ClickHouse writes',
      description: 'kaizen_collector_clickhouse_up: whether the last insert succeeded (down = spooling to disk).',
      w: 4,
      h: 4,
      mappings: [
        { value: '1', text: 'up', color: 'green' },
        { value: '0', text: 'failing', color: 'red' },
      ],
      targets: [{ expr: `min(kaizen_collector_clickhouse_up{${I}})`, instant: true }],
    },
    {
      source: 'prometheus',
      kind: 'stat',
      title: 'Spans / s',
      description: 'Spans received per second.',
      w: 4,
      h: 4,
      unit: 'short',
      targets: [{ expr: `sum(rate(kaizen_collector_received_total{${I}, signal="traces"}[$__rate_interval]))` }],
    },
    {
      source: 'prometheus',
      kind: 'stat',
      title: 'Rejected / s',
      description: 'Items refused per second (any reason).',
      w: 4,
      h: 4,
      unit: 'short',
      targets: [{ expr: `sum(rate(kaizen_collector_rejected_total{${I}}[$__rate_interval]))` }],
    },
    {
      source: 'prometheus',
      kind: 'stat',
      title: 'Queued',
      description: 'Items acknowledged and waiting in memory.',
      w: 4,
      h: 4,
      unit: 'short',
      targets: [{ expr: `sum(kaizen_collector_queued_items{${I}})` }],
    },
    {
      source: 'prometheus',
      kind: 'stat',
      title: 'Spool',
      description: 'Bytes in the on-disk spool (waiting for ClickHouse).',
      w: 4,
      h: 4,
      unit: 'bytes',
      targets: [{ expr: `sum(kaizen_collector_spool_bytes{${I}})` }],
    },
    {
      source: 'prometheus',
      kind: 'stat',
      title: 'Judge breaker',
      description: 'The Gemini judge circuit breaker (open = the judge is skipped; local detectors still run).',
      w: 4,
      h: 4,
      mappings: [
        { value: '0', text: 'closed', color: 'green' },
        { value: '1', text: 'half-open', color: 'orange' },
        { value: '2', text: 'open', color: 'red' },
      ],
      targets: [{ expr: `max(kaizen_judge_circuit_state{${I}})`, instant: true }],
    },
    { row: 'Intake' },
    series('Received', 'Spans and log records received per second, by signal and protocol.', 'short', [
      { expr: rate('kaizen_collector_received_total', 'signal, protocol'), legendFormat: '{{signal}} {{protocol}}' },
    ]),
    series(
      'Requests by answer',
      'Export requests per second by signal and answer (HTTP status or gRPC code).',
      'reqps',
      [{ expr: rate('kaizen_collector_requests_total', 'signal, code'), legendFormat: '{{signal}} {{code}}' }],
    ),
    series(
      'Rejected by reason',
      'Items refused per second: decode, invalid, auth, too_large, media_type, overload.',
      'short',
      [{ expr: rate('kaizen_collector_rejected_total', 'signal, reason'), legendFormat: '{{signal}} {{reason}}' }],
    ),
    series('Redactions', 'Values redacted before storage per second, by kind.', 'short', [
      { expr: rate('kaizen_collector_redactions_total', 'kind'), legendFormat: '{{kind}}' },
    ]),
    { row: 'Writes' },
    series('Written and received', 'Items written to ClickHouse against items received, per second.', 'short', [
      { expr: rate('kaizen_collector_written_total', 'signal'), legendFormat: 'written {{signal}}' },
      { expr: rate('kaizen_collector_received_total', 'signal'), legendFormat: 'received {{signal}}' },
    ]),
    series('Batch insert latency', 'p50 and p95 ClickHouse insert time per batch.', 's', [
      {
        expr: `histogram_quantile(0.95, sum by (le, signal) (rate(kaizen_collector_batch_duration_seconds_bucket{${I}}[$__rate_interval])))`,
        legendFormat: 'p95 {{signal}}',
      },
      {
        expr: `histogram_quantile(0.5, sum by (le, signal) (rate(kaizen_collector_batch_duration_seconds_bucket{${I}}[$__rate_interval])))`,
        legendFormat: 'p50 {{signal}}',
      },
    ]),
    series('Backlog', 'Items waiting in memory, by signal.', 'short', [
      { expr: `sum by (signal) (kaizen_collector_queued_items{${I}})`, legendFormat: '{{signal}}' },
    ]),
    series('Spool size', 'Bytes in the on-disk spool.', 'bytes', [
      { expr: `sum(kaizen_collector_spool_bytes{${I}})`, legendFormat: 'spool bytes' },
    ]),
    series(
      'Spooled and replayed',
      'Items written to the spool and replayed from it into ClickHouse, per second.',
      'short',
      [
        { expr: rate('kaizen_collector_spooled_total', 'signal'), legendFormat: 'spooled {{signal}}' },
        { expr: rate('kaizen_collector_replayed_total', 'signal'), legendFormat: 'replayed {{signal}}' },
      ],
    ),
    series('Failed batches', 'Insert batches that failed per second.', 'short', [
      {
        expr: rate('kaizen_collector_batch_duration_seconds_count', 'signal', 'outcome="error"'),
        legendFormat: '{{signal}}',
      },
    ]),
    { row: 'Service' },
    series('Model calls', 'Model calls stored per second, by provider and status.', 'short', [
      { expr: rate('kaizen_genai_calls_total', 'provider, status'), legendFormat: '{{provider}} {{status}}' },
    ]),
    series('Spend rate', 'USD per hour, by service.', 'currencyUSD', [
      { expr: `3600 * ${rate('kaizen_genai_cost_usd_total', 'service')}`, legendFormat: '{{service}}' },
    ]),
    series('Analyses', 'Analyses per second by trigger and status; p95 analysis time.', 'short', [
      { expr: rate('kaizen_analyses_total', 'trigger, status'), legendFormat: '{{trigger}} {{status}}' },
    ]),
    series('Analysis time', 'p95 wall time of an analysis, by trigger.', 's', [
      {
        expr: `histogram_quantile(0.95, sum by (le, trigger) (rate(kaizen_analysis_duration_seconds_bucket{${I}}[$__rate_interval])))`,
        legendFormat: 'p95 {{trigger}}',
      },
    ]),
    series('Judge requests', 'Gemini judge calls per second by outcome.', 'short', [
      { expr: rate('kaizen_judge_requests_total', 'outcome'), legendFormat: '{{outcome}}' },
    ]),
    series('Judge tokens', 'Tokens the judge used per second.', 'short', [
      { expr: rate('kaizen_judge_tokens_total', 'type'), legendFormat: '{{type}}' },
    ]),
  ],
};
