// Printed by `npm start` after the store is ready: where things are and what comes next.
const lines = [
  '',
  'Kaizen store ready (embedded ClickHouse under .kaizen/, database otel).',
  '',
  '  Tables   otel_traces, otel_logs (OpenTelemetry Collector Contrib schema), genai_calls (one priced,',
  '           fingerprinted row per model call), workflow_runs, model_prices, waste_findings, analyses',
  '  Tests    npm test',
  '',
];
process.stdout.write(lines.join('\n'));
