import { Controller, Delete, Get, Inject, Post, Put, Req, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { KaizenConfig } from '@kaizen/clickhouse';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { KaizenError } from '../common/errors.js';
import { KAIZEN_CONFIG, LOGGER } from '../common/tokens.js';
import { injectApi } from './kaizen-api.js';
import { createKaizenMcpServer } from './mcp.server.js';

/** A JSON-RPC error answer the MCP client can read (the transport's own shape). */
function rpcError(reply: FastifyReply, status: number, message: string, headers: Record<string, string> = {}) {
  void reply
    .status(status)
    .headers({ 'content-type': 'application/json', ...headers })
    .send({ jsonrpc: '2.0', error: { code: -32000, message }, id: null });
}

/**
 * MCP over streamable HTTP at /mcp, stateless: every POST gets a fresh server and transport and a
 * JSON answer, so any number of agents can call at once and nothing lives between requests. Behind
 * the API token like /api; a request from a browser page (an Origin header) must come from an
 * allowed CORS origin, which stops DNS-rebinding attacks on a local service.
 */
@ApiExcludeController()
@Controller('mcp')
export class McpController {
  constructor(
    @Inject(HttpAdapterHost) private readonly host: HttpAdapterHost,
    @Inject(KAIZEN_CONFIG) private readonly config: KaizenConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Post()
  async post(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const origin = req.headers.origin;
    if (origin !== undefined && !(this.config.api.corsOrigins ?? []).includes(origin)) {
      throw new KaizenError('KAIZEN_ERR_FORBIDDEN', `Origin ${origin} may not call /mcp (see KAIZEN_CORS_ORIGINS)`);
    }
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    const server = createKaizenMcpServer(injectApi(fastify, this.config.apiToken));
    const transport = new StreamableHTTPServerTransport({ enableJsonResponse: true });
    reply.hijack();
    reply.raw.on('close', () => {
      void transport.close().catch(() => undefined);
      void server.close().catch(() => undefined);
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(req.raw, reply.raw, req.body);
    } catch (e) {
      this.logger.error({ err: e }, 'MCP request failed');
      if (!reply.raw.headersSent) {
        reply.raw.writeHead(500, { 'content-type': 'application/json' });
        reply.raw.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: null }));
      }
    }
  }

  /** Stateless: no server-to-client stream (GET) and no session to end (DELETE). */
  @Get()
  @Put()
  @Delete()
  other(@Res() reply: FastifyReply): void {
    rpcError(reply, 405, 'Method not allowed: this MCP endpoint is stateless, use POST', { allow: 'POST' });
  }
}
