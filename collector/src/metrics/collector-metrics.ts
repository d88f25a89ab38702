/**
 * The collector's self-metrics, exactly as docs/metrics.md names them. They live on the registry the
 * caller passes (the all-in-one shares one with the service); never on prom-client's global one.
 * Registering twice on one registry reuses the existing metrics.
 */
import type { Registry } from 'prom-client';
import { Counter, Gauge, Histogram, type Metric } from 'prom-client';
import type { Signal } from '../otlp/decoded-batch.js';
import type { RedactionKind } from '../redaction/redactor.js';

export type Protocol = 'http' | 'grpc';
export type RejectReason = 'decode' | 'invalid' | 'auth' | 'too_large' | 'media_type' | 'overload';

function reuse<T extends Metric>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

export class CollectorMetrics {
  readonly requests: Counter<'signal' | 'protocol' | 'code'>;
  readonly received: Counter<'signal' | 'protocol'>;
  readonly rejected: Counter<'signal' | 'reason'>;
  readonly queued: Gauge<'signal'>;
  readonly written: Counter<'signal'>;
  readonly spooled: Counter<'signal'>;
  readonly spoolBytes: Gauge;
  readonly replayed: Counter<'signal'>;
  readonly batchDuration: Histogram<'signal' | 'outcome'>;
  readonly redactions: Counter<'kind'>;
  readonly clickhouseUp: Gauge;

  constructor(readonly registry: Registry) {
    const registers = [registry];
    this.requests = reuse(
      registry,
      'kaizen_collector_requests_total',
      () =>
        new Counter({
          name: 'kaizen_collector_requests_total',
          help: 'OTLP export requests by answer (HTTP status, or gRPC code name)',
          labelNames: ['signal', 'protocol', 'code'],
          registers,
        }),
    );
    this.received = reuse(
      registry,
      'kaizen_collector_received_total',
      () =>
        new Counter({
          name: 'kaizen_collector_received_total',
          help: 'Spans and log records received',
          labelNames: ['signal', 'protocol'],
          registers,
        }),
    );
    this.rejected = reuse(
      registry,
      'kaizen_collector_rejected_total',
      () =>
        new Counter({
          name: 'kaizen_collector_rejected_total',
          help: 'Items refused, by reason (a request whose items cannot be counted counts as one)',
          labelNames: ['signal', 'reason'],
          registers,
        }),
    );
    this.queued = reuse(
      registry,
      'kaizen_collector_queued_items',
      () =>
        new Gauge({
          name: 'kaizen_collector_queued_items',
          help: 'Items accepted and waiting in memory for their batch insert',
          labelNames: ['signal'],
          registers,
        }),
    );
    this.written = reuse(
      registry,
      'kaizen_collector_written_total',
      () =>
        new Counter({
          name: 'kaizen_collector_written_total',
          help: 'Items written to ClickHouse',
          labelNames: ['signal'],
          registers,
        }),
    );
    this.spooled = reuse(
      registry,
      'kaizen_collector_spooled_total',
      () =>
        new Counter({
          name: 'kaizen_collector_spooled_total',
          help: 'Items written to the on-disk spool',
          labelNames: ['signal'],
          registers,
        }),
    );
    this.spoolBytes = reuse(
      registry,
      'kaizen_collector_spool_bytes',
      () => new Gauge({ name: 'kaizen_collector_spool_bytes', help: 'Bytes in the spool', registers }),
    );
    this.replayed = reuse(
      registry,
      'kaizen_collector_replayed_total',
      () =>
        new Counter({
          name: 'kaizen_collector_replayed_total',
          help: 'Items replayed from the spool into ClickHouse',
          labelNames: ['signal'],
          registers,
        }),
    );
    this.batchDuration = reuse(
      registry,
      'kaizen_collector_batch_duration_seconds',
      () =>
        new Histogram({
          name: 'kaizen_collector_batch_duration_seconds',
          help: 'Insert latency per batch',
          labelNames: ['signal', 'outcome'],
          buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
          registers,
        }),
    );
    this.redactions = reuse(
      registry,
      'kaizen_collector_redactions_total',
      () =>
        new Counter({
          name: 'kaizen_collector_redactions_total',
          help: 'Values redacted before storage, by kind',
          labelNames: ['kind'],
          registers,
        }),
    );
    this.clickhouseUp = reuse(
      registry,
      'kaizen_collector_clickhouse_up',
      () =>
        new Gauge({
          name: 'kaizen_collector_clickhouse_up',
          help: '1 when the last insert succeeded, 0 while ClickHouse is failing',
          registers,
        }),
    );
  }

  request(signal: Signal, protocol: Protocol, code: string | number): void {
    this.requests.inc({ signal, protocol, code: String(code) });
  }

  reject(signal: Signal, reason: RejectReason, items = 1): void {
    if (items > 0) this.rejected.inc({ signal, reason }, items);
  }

  redacted(kind: RedactionKind): void {
    this.redactions.inc({ kind });
  }
}
