import { context, SpanKind, SpanStatusCode, trace, type HrTime } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { SeedRun } from './seed.js';

const hr = (ms: number): HrTime => [Math.floor(ms / 1000), Math.round((ms % 1000) * 1_000_000)];

/**
 * Sends workflow runs the way an instrumented app does: the real OpenTelemetry SDK and OTLP/HTTP
 * protobuf exporter, to a collector at `endpoint` (e.g. http://127.0.0.1:4318). Returns trace ids.
 */
export async function sendRuns(
  endpoint: string,
  runs: readonly SeedRun[],
  headers: Record<string, string> = {},
): Promise<string[]> {
  const byService = new Map<string, SeedRun[]>();
  for (const r of runs) {
    const key = `${r.service ?? 'mailer'}\u0000${r.version ?? '1.0.0'}`;
    byService.set(key, [...(byService.get(key) ?? []), r]);
  }
  const ids = new Map<SeedRun, string>();
  for (const [key, group] of byService) {
    const [service, version] = key.split('\u0000') as [string, string];
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': service, 'service.version': version }),
      spanProcessors: [
        new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${endpoint}/v1/traces`, headers }) }),
      ],
    });
    const tracer = provider.getTracer('kaizen-test');
    for (const run of group) {
      let t = run.startMs;
      const root = tracer.startSpan(`invoke_workflow ${run.workflow}`, {
        kind: SpanKind.INTERNAL,
        startTime: hr(run.startMs),
        attributes: { 'gen_ai.operation.name': 'invoke_workflow', 'kaizen.workflow.name': run.workflow },
      });
      const ctx = trace.setSpan(context.active(), root);
      for (const c of run.calls) {
        const model = c.model ?? 'gpt-4o-mini';
        const dur = c.durationMs ?? 800;
        const span = tracer.startSpan(
          `chat ${model}`,
          {
            kind: SpanKind.CLIENT,
            startTime: hr(t),
            attributes: {
              'gen_ai.operation.name': 'chat',
              'gen_ai.provider.name': c.provider ?? 'openai',
              'gen_ai.request.model': model,
              'gen_ai.usage.input_tokens': c.input ?? 1000,
              'gen_ai.usage.output_tokens': c.output ?? 100,
              ...(c.cacheRead ? { 'gen_ai.usage.cache_read.input_tokens': c.cacheRead } : {}),
              ...(c.temperature !== undefined ? { 'gen_ai.request.temperature': c.temperature } : {}),
              ...(c.error ? { 'error.type': 'RateLimitError' } : {}),
              'gen_ai.input.messages': JSON.stringify([
                ...(c.system ? [{ role: 'system', parts: [{ type: 'text', content: c.system }] }] : []),
                { role: 'user', parts: [{ type: 'text', content: c.prompt ?? 'Hello' }] },
              ]),
              'gen_ai.output.messages': JSON.stringify([
                { role: 'assistant', parts: [{ type: 'text', content: c.answer ?? 'Hi' }] },
              ]),
              'kaizen.workflow.name': run.workflow,
            },
          },
          ctx,
        );
        if (c.error) span.setStatus({ code: SpanStatusCode.ERROR, message: 'rate limited' });
        span.end(hr(t + dur));
        t += dur + 10;
      }
      root.end(hr(t));
      ids.set(run, root.spanContext().traceId);
    }
    await provider.forceFlush();
    await provider.shutdown();
  }
  return runs.map((r) => ids.get(r)!);
}
