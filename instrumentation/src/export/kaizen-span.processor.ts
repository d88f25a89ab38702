import type { Context } from '@opentelemetry/api';
import {
  BatchSpanProcessor,
  type BatchSpanProcessorOptions,
  type ReadableSpan,
  type Span,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { markFinalizable } from '../core/deferred.js';
import { flushPendingCalls } from '../core/emit-queue.js';
import { KaizenSpanExporter } from './kaizen-span.exporter.js';

/**
 * A batch span processor for Kaizen's model-call spans: model calls whose spans it saw start
 * defer their fingerprints and content JSON to the export batch (off the application's call), and
 * its exporter adds them before the spans leave. register() installs one; with your own SDK set-up
 * use it in place of a BatchSpanProcessor: `spanProcessors: [new KaizenSpanProcessor(exporter)]`.
 * Spans started elsewhere get their attributes inline, as usual.
 */
export class KaizenSpanProcessor implements SpanProcessor {
  private readonly batch: BatchSpanProcessor;
  private ended = 0;

  public constructor(exporter: SpanExporter, options?: Omit<BatchSpanProcessorOptions, 'exporter'>) {
    this.batch = new BatchSpanProcessor({ ...options, exporter: new KaizenSpanExporter(exporter) });
  }

  public onStart(span: Span, parentContext: Context): void {
    markFinalizable(span);
    this.batch.onStart(span, parentContext);
  }

  public onEnd(span: ReadableSpan): void {
    this.ended++;
    this.batch.onEnd(span);
  }

  /** How many spans ended through this processor so far (register() flushes at exit when it grew). */
  public get endedCount(): number {
    return this.ended;
  }

  /** Makes the spans of finished model calls still queued, then exports. */
  public forceFlush(): Promise<void> {
    flushPendingCalls();
    return this.batch.forceFlush();
  }

  public shutdown(): Promise<void> {
    flushPendingCalls();
    return this.batch.shutdown();
  }
}
