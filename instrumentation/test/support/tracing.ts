import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { flushPendingCalls } from '../../src/core/emit-queue.ts';
import { KaizenSpanProcessor } from '../../src/export/kaizen-span.processor.ts';

/**
 * In-process tracing for tests: the global tracer provider with an in-memory exporter, behind
 * KaizenSpanProcessor (deferred attributes finalised at export, as register() sets it up) or a
 * SimpleSpanProcessor (attributes computed inline, as with any other SDK set-up).
 */
export interface TestTracing {
  readonly exporter: InMemorySpanExporter;
  /** Exports what is pending and returns every finished span so far. */
  spans(): Promise<ReadableSpan[]>;
  reset(): void;
  shutdown(): Promise<void>;
}

export function setupTracing(mode: 'kaizen' | 'simple' = 'kaizen'): TestTracing {
  const exporter = new InMemorySpanExporter();
  const processor: SpanProcessor =
    mode === 'kaizen'
      ? new KaizenSpanProcessor(exporter, { scheduledDelayMillis: 60_000 })
      : new SimpleSpanProcessor({ exporter });
  const provider = new TracerProvider({ spanProcessors: [processor] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  return {
    exporter,
    spans: async () => {
      flushPendingCalls();
      await provider.forceFlush();
      return exporter.getFinishedSpans();
    },
    reset: () => exporter.reset(),
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}
