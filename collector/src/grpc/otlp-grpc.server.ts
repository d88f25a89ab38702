/**
 * OTLP/gRPC: the trace and logs `Export` services. Messages stay raw bytes through grpc-js (which
 * inflates gzip-compressed messages and enforces the size limit) and go through the same decoder
 * and writer as OTLP/HTTP. Throttling is UNAVAILABLE (or RESOURCE_EXHAUSTED) with a RetryInfo.
 */
import {
  Metadata,
  Server,
  ServerCredentials,
  status as GrpcStatus,
  type ServerUnaryCall,
  type ServiceDefinition,
  type sendUnaryData,
} from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { IngestAuth } from '../auth/ingest-auth.js';
import type { ExportHandler } from '../ingest/export-handler.js';
import type { CollectorMetrics } from '../metrics/collector-metrics.js';
import type { Signal } from '../otlp/decoded-batch.js';
import { exportResponse, GrpcCode, statusProto } from '../otlp/otlp-response.js';

const identity = (b: Buffer): Buffer => b;

function exportService(service: string): ServiceDefinition {
  return {
    Export: {
      path: `/opentelemetry.proto.collector.${service}/Export`,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  };
}

const CODE_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(GrpcStatus)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => [v as number, k]),
);

export interface GrpcServerOptions {
  readonly maxBodyBytes: number;
}

export class OtlpGrpcServer {
  readonly server: Server;

  constructor(
    private readonly handler: ExportHandler,
    private readonly auth: IngestAuth,
    private readonly metrics: CollectorMetrics,
    private readonly log: Logger,
    opts: GrpcServerOptions,
  ) {
    this.server = new Server({
      'grpc.max_receive_message_length': opts.maxBodyBytes,
      'grpc.max_send_message_length': 4 * 1024 * 1024,
    });
    this.server.addService(exportService('trace.v1.TraceService'), { Export: this.exporter('traces') });
    this.server.addService(exportService('logs.v1.LogsService'), { Export: this.exporter('logs') });
  }

  /** Binds and resolves the bound port. */
  bind(host: string, port: number): Promise<number> {
    const address = host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
    return new Promise((resolve, reject) =>
      this.server.bindAsync(address, ServerCredentials.createInsecure(), (err, bound) =>
        err ? reject(err) : resolve(bound),
      ),
    );
  }

  /** Stops taking calls, lets running ones finish for up to `graceMs`, then cuts the rest. */
  async close(graceMs: number): Promise<void> {
    await Promise.race([
      new Promise<void>((resolve) => this.server.tryShutdown(() => resolve())),
      new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref()),
    ]);
    this.server.forceShutdown();
  }

  private exporter(signal: Signal) {
    return (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>): void => {
      this.handle(signal, call)
        .then((r) => {
          this.metrics.request(signal, 'grpc', 'OK');
          callback(null, r);
        })
        .catch((e: unknown) => {
          const err = e instanceof GrpcError ? e : new GrpcError(GrpcCode.INTERNAL, 'internal error');
          if (!(e instanceof GrpcError)) this.log.error({ err: e }, 'OTLP/gRPC export failed');
          this.metrics.request(signal, 'grpc', CODE_NAMES[err.code] ?? String(err.code));
          callback({ code: err.code, details: err.message, ...(err.metadata ? { metadata: err.metadata } : {}) });
        });
    };
  }

  private async handle(signal: Signal, call: ServerUnaryCall<Buffer, Buffer>): Promise<Buffer> {
    const header = call.metadata.get('authorization')[0];
    const authz = this.auth.check(typeof header === 'string' ? header : header?.toString('utf8'));
    if (authz !== 'ok') {
      this.metrics.reject(signal, 'auth');
      throw new GrpcError(
        GrpcCode.UNAUTHENTICATED,
        `unauthenticated: ${authz === 'missing' ? 'missing the authorization metadata' : 'a wrong bearer token'}`,
      );
    }
    const outcome = await this.handler.export(signal, 'grpc', 'protobuf', call.request);
    switch (outcome.kind) {
      case 'ok':
        return exportResponse(signal, 'protobuf', outcome.rejected, outcome.message);
      case 'bad_request':
        throw new GrpcError(GrpcCode.INVALID_ARGUMENT, outcome.message);
      case 'overload': {
        const code = outcome.unavailable ? GrpcCode.UNAVAILABLE : GrpcCode.RESOURCE_EXHAUSTED;
        const md = new Metadata();
        md.set('grpc-status-details-bin', statusProto(code, outcome.message, outcome.retryAfterSeconds));
        throw new GrpcError(code, outcome.message, md);
      }
    }
  }
}

class GrpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly metadata?: Metadata,
  ) {
    super(message);
  }
}
