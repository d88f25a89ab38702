import { timingSafeEqual, createHash } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { KaizenError } from './errors.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time check of an `Authorization: Bearer <token>` header. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  if (!header) return false;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) return false;
  return timingSafeEqual(digest(m[1]!), digest(token));
}

export interface AuthOptions {
  readonly apiToken: string | undefined;
  /** Also require the token on /metrics. */
  readonly protectMetrics: boolean;
}

/**
 * With KAIZEN_API_TOKEN set, every /api route and the MCP endpoint (/mcp) need the bearer token (the
 * OpenAPI document and UI under /api/docs stay readable), and /metrics too when KAIZEN_METRICS_AUTH=true. Health checks
 * are always open.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(private readonly opts: AuthOptions) {}

  canActivate(ctx: ExecutionContext): boolean {
    if (!this.opts.apiToken || ctx.getType() !== 'http') return true;
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    const path = (req.url ?? '').split('?')[0] ?? '';
    const isApi = path === '/api' || path.startsWith('/api/');
    const isDocs = path === '/api/docs' || path.startsWith('/api/docs/') || path.startsWith('/api/docs-');
    const isMcp = path === '/mcp' || path.startsWith('/mcp/');
    const guarded = (isApi && !isDocs) || isMcp || (this.opts.protectMetrics && path === '/metrics');
    if (!guarded) return true;
    if (bearerMatches(req.headers.authorization, this.opts.apiToken)) return true;
    throw new KaizenError(
      'KAIZEN_ERR_UNAUTHORIZED',
      'Missing or wrong bearer token (Authorization: Bearer <KAIZEN_API_TOKEN>)',
    );
  }
}
