import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StorageLockedError, type KaizenConfig } from '@kaizen/clickhouse';
import type { Command } from 'commander';
import type { Logger } from 'pino';
import { createLogger } from '../../common/logger.js';
import type { ApiAnswer, KaizenApi } from '../../mcp/kaizen-api.js';
import { createKaizenMcpServer } from '../../mcp/mcp.server.js';
import { openLocalApi, type ApiAccess } from '../api-access.js';
import { CliError, configFrom, runCommand, type CliIo } from '../cli-runtime.js';
import { ServiceClient } from '../service-client.js';

/** Is a Kaizen service answering there? (Its /healthz is open even with an API token.) */
async function serviceAnswers(client: ServiceClient): Promise<boolean> {
  try {
    const r = await fetch(`${client.baseUrl}/healthz`, { signal: AbortSignal.timeout(1_500) });
    return r.ok;
  } catch {
    return false;
  }
}

/**
 * The API a stdio MCP server calls, chosen at the first tool call (so an agent client may start
 * `kaizen mcp` before `kaizen up`): the running service when one answers, otherwise the store
 * itself, opened in this process with the service's modules and no HTTP port.
 */
class StdioBackend implements KaizenApi {
  private pending: Promise<KaizenApi> | undefined;
  private local: ApiAccess | undefined;

  constructor(
    private readonly config: KaizenConfig,
    private readonly client: ServiceClient,
    private readonly forceRemote: boolean,
    private readonly logger: Logger,
  ) {}

  async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiAnswer> {
    this.pending ??= this.resolve();
    let api: KaizenApi;
    try {
      api = await this.pending;
    } catch (e) {
      this.pending = undefined; // try again at the next call: the service may be up by then
      throw e;
    }
    return api.request(method, path, body);
  }

  private async resolve(): Promise<KaizenApi> {
    if (this.forceRemote || (await serviceAnswers(this.client))) {
      this.logger.info({ url: this.client.baseUrl }, 'MCP tools call the running service');
      return this.client;
    }
    try {
      this.local = await openLocalApi(this.config, this.logger);
    } catch (e) {
      if (e instanceof StorageLockedError) {
        throw new CliError(
          `${e.message} No Kaizen service answers at ${this.client.baseUrl} either: start \`kaizen up\`, or pass --url.`,
        );
      }
      throw e;
    }
    this.logger.info({ store: this.local.where }, 'MCP tools read the store directly');
    return this.local.api;
  }

  async close(): Promise<void> {
    const local = this.local;
    this.local = undefined;
    await local?.close();
  }
}

/**
 * `kaizen mcp`: Kaizen's MCP server over stdio for coding agents (Claude Code, Cursor, VS Code…).
 * stdout carries the protocol only; logs go to stderr.
 */
export function registerMcp(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('mcp')
    .description('serve the MCP tools over stdio (through the running service, or on the store itself)')
    .option('--url <url>', 'always call this Kaizen service (default: the local one if it runs, else the store)')
    .action(async (opts: { url?: string }) => {
      setExit(
        await runCommand('mcp', io, async () => {
          const config = configFrom(io);
          if (opts.url !== undefined && !/^https?:\/\/[^\s/]+/.test(opts.url)) {
            throw new CliError(`--url must be an http(s) URL; got "${opts.url}"`, 2);
          }
          const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, 'kaizen-mcp');
          const backend = new StdioBackend(
            config,
            ServiceClient.fromConfig(config, opts.url),
            opts.url !== undefined,
            logger,
          );
          const server = createKaizenMcpServer(backend);
          const transport = new StdioServerTransport();
          const closed = new Promise<void>((resolve) => {
            transport.onclose = resolve;
            process.stdin.once('end', resolve);
            process.once('SIGINT', resolve);
            process.once('SIGTERM', resolve);
          });
          await server.connect(transport);
          await closed;
          await server.close().catch(() => undefined);
          await backend.close();
        }),
      );
    });
}
