import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { takeDeferred } from '../core/deferred.js';

/**
 * Wraps an exporter: before spans leave, it adds the attributes their model calls deferred
 * (kaizen.* fingerprints and, when captured, the content JSON). Used by KaizenSpanProcessor.
 */
export class KaizenSpanExporter implements SpanExporter {
  public constructor(private readonly inner: SpanExporter) {}

  public export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    for (const span of spans) finalizeSpan(span);
    this.inner.export(spans, resultCallback);
  }

  public shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  public async forceFlush(): Promise<void> {
    await this.inner.forceFlush?.();
  }
}

/** Adds a span's deferred attributes to it (to the ended span's own attribute map). */
export function finalizeSpan(span: ReadableSpan): void {
  const deferred = takeDeferred(span);
  if (deferred === undefined) return;
  // The ended span's own attribute map: every exporter downstream reads it.
  Object.assign(span.attributes, deferred);
}
