import { type ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import { ClickHouseQueryError, StorageLockedError } from '@kaizen/clickhouse';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { ERRORS, KaizenError, type ErrorCode } from './errors.js';

interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
  requestId: string;
}

function byStatus(status: number): ErrorCode {
  const found = (Object.entries(ERRORS) as [ErrorCode, number][]).find(([, s]) => s === status);
  if (found) return found[0];
  return status >= 500 ? 'KAIZEN_ERR_INTERNAL' : 'KAIZEN_ERR_VALIDATION';
}

/** Turns every error into the catalog's shape; never a stack trace or SQL in a response. */
export function toErrorResponse(
  e: unknown,
  req: { method?: string; url?: string },
): { status: number; code: ErrorCode; message: string; details?: Record<string, unknown>; retryAfter?: number } {
  if (e instanceof KaizenError) {
    const retry = e.status === 429 || e.status === 503 ? Number(e.details?.['retryAfterSeconds'] ?? 5) : undefined;
    return {
      status: e.status,
      code: e.code,
      message: e.message,
      ...(e.details ? { details: e.details } : {}),
      ...(retry !== undefined ? { retryAfter: retry } : {}),
    };
  }
  if (e instanceof ClickHouseQueryError) {
    if (e.kind === 'unavailable') {
      return {
        status: 503,
        code: 'KAIZEN_ERR_STORE_UNAVAILABLE',
        message: 'ClickHouse is unavailable; try again shortly',
        retryAfter: 5,
      };
    }
    if (e.kind === 'limit')
      return {
        status: 422,
        code: 'KAIZEN_ERR_QUERY_LIMIT',
        message: 'The query hit a time, memory or size limit; narrow the time range or filters',
      };
    return { status: 500, code: 'KAIZEN_ERR_INTERNAL', message: 'An internal error occurred' };
  }
  if (e instanceof StorageLockedError) {
    return { status: 503, code: 'KAIZEN_ERR_STORE_UNAVAILABLE', message: e.message, retryAfter: 5 };
  }
  if (e instanceof HttpException) {
    const status = e.getStatus();
    const message = status === 404 ? `No route ${req.method ?? ''} ${(req.url ?? '').split('?')[0]}` : e.message;
    return { status, code: byStatus(status), message };
  }
  const rec = e as { statusCode?: unknown; code?: unknown; message?: unknown };
  if (typeof rec.statusCode === 'number' && rec.statusCode >= 400 && rec.statusCode < 500) {
    // Fastify's own errors: malformed JSON, wrong content type, body too large.
    const msg = typeof rec.message === 'string' ? rec.message : 'Bad request';
    return { status: rec.statusCode, code: byStatus(rec.statusCode), message: msg };
  }
  return { status: 500, code: 'KAIZEN_ERR_INTERNAL', message: 'An internal error occurred' };
}

@Catch()
export class KaizenExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(e: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const r = toErrorResponse(e, req);
    if (r.status >= 500)
      this.logger.error({ err: e, method: req.method, url: req.url, code: r.code }, 'request failed');
    const body: ErrorBody = {
      error: { code: r.code, message: r.message, ...(r.details ? { details: r.details } : {}) },
      requestId: String(req.id),
    };
    if (r.retryAfter !== undefined) void reply.header('Retry-After', String(r.retryAfter));
    void reply.status(r.status).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}
