/**
 * The email crew as its own program — what `kaizen demo` starts in a child process, so the
 * service's own model calls are never instrumented. Instrumented like any app: register() first
 * (OTLP to OTEL_EXPORTER_OTLP_ENDPOINT, service name from OTEL_SERVICE_NAME), then the SDKs load.
 * Usage: node main.js '<CrewConfig as JSON>' (progress goes to the parent over IPC, or stdout).
 */
import { register } from '@kaizen/instrumentation';
import { parseCrewConfig, type CrewMessage } from './crew.protocol.js';

let spans = 0;
const registration = register({
  spanProcessors: [
    {
      onStart: () => undefined,
      onEnd: () => void spans++,
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    },
  ],
});

function send(m: CrewMessage): void {
  if (process.send) process.send(m);
  else process.stdout.write(`${JSON.stringify(m)}\n`);
}

const started = performance.now();
const config = parseCrewConfig(process.argv[2]);
// Loaded after register(): the SDKs' modules are patched as they load.
const { runCrew } = await import('./crew.js');
const result = await runCrew(config, send);
await registration.shutdown();
send({ type: 'done', ...result, spans, durationMs: Math.round(performance.now() - started) });
process.disconnect?.();
