/**
 * OTLP/HTTP: `POST /v1/traces` and `/v1/logs`, binary protobuf and JSON on one port, gzip or not.
 * Answers as the OTLP specification says, in the request's content type: 200 with an empty message or
 * a partial success, 400 with a google.rpc.Status for bad data, 401 without the ingest token,
 * 405 for other methods, 413 past the size limit (counted after inflating), 415 for other media
 * types, 429/503 with Retry-After when pushing back. Also `GET /metrics` and `GET /healthz`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { IngestAuth } from '../auth/ingest-auth.js';
import type { ExportHandler, ExportOutcome } from '../ingest/export-handler.js';
import type { CollectorMetrics, RejectReason } from '../metrics/collector-metrics.js';
import type { Signal } from '../otlp/decoded-batch.js';
import type { OtlpFormat } from '../otlp/otlp-decoder.js';
import { exportResponse, GrpcCode, statusBody } from '../otlp/otlp-response.js';
import { BodyTooLargeError, BodyUnreadableError, discardBody, gunzipLimited, readBody } from './request-body.js';

export interface HttpServerOptions {
  /** Largest request body, compressed or inflated (bytes). */
  readonly maxBodyBytes: number;
  /** Request bodies held at once across connections before new requests get 429 (bytes). */
  readonly maxInflightBytes: number;
}

const PATHS: Readonly<Record<string, Signal>> = { '/v1/traces': 'traces', '/v1/logs': 'logs' };
const CONTENT_TYPES: Readonly<Record<OtlpFormat, string>> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

function mediaFormat(contentType: string | undefined): OtlpFormat | undefined {
  const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (media === 'application/x-protobuf' || media === 'application/protobuf') return 'protobuf';
  if (media === 'application/json') return 'json';
  return undefined;
}

export class OtlpHttpServer {
  readonly server: Server;
  private inflightBytes = 0;
  /** Set on shutdown: every answer closes its connection, so keep-alive clients let go. */
  draining = false;

  constructor(
    private readonly handler: ExportHandler,
    private readonly auth: IngestAuth,
    private readonly metrics: CollectorMetrics,
    private readonly registry: Registry,
    private readonly log: Logger,
    private readonly opts: HttpServerOptions,
  ) {
    this.server = createServer(
      { requestTimeout: 60_000, headersTimeout: 30_000, keepAliveTimeout: 30_000 },
      (req, res) => {
        if (this.draining) res.setHeader('Connection', 'close');
        this.route(req, res).catch((e: unknown) => {
          this.log.error({ err: e }, 'OTLP/HTTP request failed');
          if (!res.headersSent) this.plain(res, 500, 'internal error');
          else res.destroy();
        });
      },
    );
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const signal = PATHS[path];
    if (signal === undefined) return this.other(req, res, path);
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      this.metrics.request(signal, 'http', 405);
      discardBody(req, this.opts.maxBodyBytes);
      return this.plain(res, 405, '405 method not allowed, supported: [POST]');
    }
    const format = mediaFormat(req.headers['content-type']);
    const answerFormat = format ?? 'json';
    const authz = this.auth.check(req.headers.authorization);
    if (authz !== 'ok') {
      res.setHeader('WWW-Authenticate', 'Bearer realm="kaizen"');
      const what = authz === 'missing' ? 'missing the Authorization: Bearer header' : 'a wrong bearer token';
      return this.refuse(
        req,
        res,
        signal,
        'auth',
        answerFormat,
        401,
        GrpcCode.UNAUTHENTICATED,
        `unauthenticated: ${what}`,
      );
    }
    if (format === undefined) {
      this.metrics.reject(signal, 'media_type');
      this.metrics.request(signal, 'http', 415);
      discardBody(req, this.opts.maxBodyBytes);
      return this.plain(res, 415, '415 unsupported media type, supported: [application/json, application/x-protobuf]');
    }
    const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding !== 'gzip' && encoding !== 'x-gzip' && encoding !== 'identity' && encoding !== '') {
      this.metrics.reject(signal, 'media_type');
      this.metrics.request(signal, 'http', 415);
      discardBody(req, this.opts.maxBodyBytes);
      return this.plain(res, 415, `415 unsupported content encoding "${encoding}", supported: [gzip, identity]`);
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > this.opts.maxBodyBytes) {
      res.setHeader('Connection', 'close');
      const msg = `the request body (${declared} bytes) is larger than ${this.opts.maxBodyBytes} bytes`;
      return this.refuse(req, res, signal, 'too_large', format, 413, GrpcCode.RESOURCE_EXHAUSTED, msg);
    }
    if (this.inflightBytes + Math.max(declared, 1) > this.opts.maxInflightBytes) {
      res.setHeader('Retry-After', '1');
      const msg = 'the collector is busy: too many request bytes in flight';
      return this.refuse(req, res, signal, 'overload', format, 429, GrpcCode.RESOURCE_EXHAUSTED, msg, 1);
    }
    const reserved = Math.max(declared, 1);
    this.inflightBytes += reserved;
    try {
      await this.exportBody(req, res, signal, format, encoding);
    } finally {
      this.inflightBytes -= reserved;
    }
  }

  private async exportBody(
    req: IncomingMessage,
    res: ServerResponse,
    signal: Signal,
    format: OtlpFormat,
    encoding: string,
  ): Promise<void> {
    let body: Buffer;
    try {
      body = await readBody(req, this.opts.maxBodyBytes);
      if (encoding === 'gzip' || encoding === 'x-gzip') body = await gunzipLimited(body, this.opts.maxBodyBytes);
    } catch (e) {
      if (e instanceof BodyTooLargeError) {
        res.setHeader('Connection', 'close');
        return this.refuse(req, res, signal, 'too_large', format, 413, GrpcCode.RESOURCE_EXHAUSTED, e.message);
      }
      if (e instanceof BodyUnreadableError) {
        return this.refuse(req, res, signal, 'decode', format, 400, GrpcCode.INVALID_ARGUMENT, e.message);
      }
      throw e;
    }
    const outcome = await this.handler.export(signal, 'http', format, body);
    this.answer(res, signal, format, outcome);
  }

  private answer(res: ServerResponse, signal: Signal, format: OtlpFormat, outcome: ExportOutcome): void {
    switch (outcome.kind) {
      case 'ok':
        return this.send(res, signal, 200, format, exportResponse(signal, format, outcome.rejected, outcome.message));
      case 'bad_request':
        return this.send(res, signal, 400, format, statusBody(format, GrpcCode.INVALID_ARGUMENT, outcome.message));
      case 'overload': {
        const status = outcome.unavailable ? 503 : 429;
        const code = outcome.unavailable ? GrpcCode.UNAVAILABLE : GrpcCode.RESOURCE_EXHAUSTED;
        res.setHeader('Retry-After', String(outcome.retryAfterSeconds));
        return this.send(
          res,
          signal,
          status,
          format,
          statusBody(format, code, outcome.message, outcome.retryAfterSeconds),
        );
      }
    }
  }

  /** Refuses a request with a google.rpc.Status, letting a bounded amount of its body drain. */
  private refuse(
    req: IncomingMessage,
    res: ServerResponse,
    signal: Signal,
    reason: RejectReason,
    format: OtlpFormat,
    status: number,
    code: number,
    message: string,
    retryAfterSeconds?: number,
  ): void {
    this.metrics.reject(signal, reason);
    discardBody(req, this.opts.maxBodyBytes);
    this.send(res, signal, status, format, statusBody(format, code, message, retryAfterSeconds));
  }

  private send(res: ServerResponse, signal: Signal, status: number, format: OtlpFormat, body: Buffer): void {
    this.metrics.request(signal, 'http', status);
    res.writeHead(status, { 'Content-Type': CONTENT_TYPES[format], 'Content-Length': body.length });
    res.end(body);
  }

  private plain(res: ServerResponse, status: number, text: string): void {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private async other(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    discardBody(req, this.opts.maxBodyBytes);
    if (req.method === 'GET' && path === '/metrics') {
      const text = await this.registry.metrics();
      res.writeHead(200, { 'Content-Type': this.registry.contentType });
      res.end(text);
      return;
    }
    if (req.method === 'GET' && path === '/healthz') return this.plain(res, 200, 'ok');
    this.plain(res, 404, `404 not found: ${path} (OTLP paths: /v1/traces, /v1/logs)`);
  }
}
