import type { KaizenConfig } from '@kaizen/clickhouse';
import { CliError } from './cli-runtime.js';

/** Talks to a running Kaizen service (the one holding the embedded store) over its API. */
export class ServiceClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | undefined,
  ) {}

  static fromConfig(config: KaizenConfig, url?: string): ServiceClient {
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    return new ServiceClient((url ?? `http://${host}:${config.ports.api}`).replace(/\/+$/, ''), config.apiToken);
  }

  async request(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; text: string }> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token) headers['authorization'] = `Bearer ${this.token}`;
    let r: Response;
    try {
      r = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (e) {
      throw new CliError(
        `Cannot reach the Kaizen service at ${this.baseUrl} (${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}).`,
      );
    }
    return { status: r.status, text: await r.text() };
  }

  /** The body of a 2xx answer; otherwise a CliError with the API's message. */
  async ok(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<string> {
    const r = await this.request(method, path, body);
    if (r.status >= 200 && r.status < 300) return r.text;
    let message = r.text;
    try {
      message = (JSON.parse(r.text) as { error?: { message?: string } }).error?.message ?? r.text;
    } catch {
      // not JSON
    }
    throw new CliError(message || `The service answered ${r.status}`);
  }
}
