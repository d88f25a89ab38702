import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isCrewMessage, type CrewConfig, type CrewMessage } from './email-crew/crew.protocol.js';

/**
 * Runs the email crew in a child Node process (its own OpenTelemetry SDK and instrumentation,
 * exporting OTLP to the all-in-one's collector), relaying its progress. The parent never loads the
 * SDKs, so the service's own model calls (the Gemini judge) are never part of the demo's traces.
 */

export interface CrewRun {
  readonly index: number;
  readonly traceId: string;
  readonly workflow: string;
  readonly ok: boolean;
  readonly error?: string;
}

export interface CrewResult {
  readonly runs: readonly CrewRun[];
  readonly failedRuns: number;
  /** Spans the app ended and exported before it exited. */
  readonly spans: number;
  readonly retries: number;
  readonly durationMs: number;
}

export interface CrewProcessOptions {
  readonly config: CrewConfig;
  /** The collector's OTLP/HTTP base URL. */
  readonly otlpEndpoint: string;
  readonly serviceName: string;
  /** Sent as a bearer token with every export when the collector requires one. */
  readonly ingestToken?: string | undefined;
  readonly onRun?: (run: CrewRun) => void;
  readonly signal?: AbortSignal;
}

const MAIN = fileURLToPath(new URL('./email-crew/main.js', import.meta.url));

export function runCrewProcess(opts: CrewProcessOptions): Promise<CrewResult> {
  const env: Record<string, string> = {
    OTEL_SERVICE_NAME: opts.serviceName,
    OTEL_EXPORTER_OTLP_ENDPOINT: opts.otlpEndpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    // Export often and never drop a span: the demo waits for every one of them.
    OTEL_BSP_SCHEDULE_DELAY: '200',
    OTEL_BSP_MAX_QUEUE_SIZE: '1000000',
    OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '2048',
    KAIZEN_CAPTURE_CONTENT: 'true',
    ...(opts.ingestToken ? { KAIZEN_INGEST_TOKEN: opts.ingestToken } : {}),
  };
  return new Promise<CrewResult>((resolve, reject) => {
    const child = fork(MAIN, [JSON.stringify(opts.config)], {
      env,
      execArgv: [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const runs: CrewRun[] = [];
    let done: Extract<CrewMessage, { type: 'done' }> | undefined;
    let stderr = '';
    child.stderr?.on('data', (b: Buffer) => {
      stderr = (stderr + b.toString()).slice(-4000);
    });
    child.on('message', (m: unknown) => {
      if (!isCrewMessage(m)) return;
      if (m.type === 'done') done = m;
      else {
        const run: CrewRun = {
          index: m.index,
          traceId: m.traceId,
          workflow: m.workflow,
          ok: m.ok,
          ...(m.error !== undefined ? { error: m.error } : {}),
        };
        runs.push(run);
        opts.onRun?.(run);
      }
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (done && code === 0) {
        runs.sort((a, b) => a.index - b.index);
        resolve({
          runs,
          failedRuns: done.failedRuns,
          spans: done.spans,
          retries: done.retries,
          durationMs: done.durationMs,
        });
        return;
      }
      const why = signal ? `was stopped by ${signal}` : `exited with code ${code ?? '?'}`;
      reject(new Error(`The demo app ${why}${stderr.trim() ? `:\n${stderr.trim()}` : ''}`));
    });
  });
}
