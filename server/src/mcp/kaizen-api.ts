import type { FastifyInstance } from 'fastify';

/** One answer of the Kaizen REST API. */
export interface ApiAnswer {
  readonly status: number;
  readonly text: string;
}

/**
 * The REST API as the MCP tools see it: in the service itself (Fastify's inject), in a `kaizen mcp`
 * process that opened the store, or over HTTP to a running `kaizen up`. The tools are a thin layer
 * over the API, so they validate, authorise and answer exactly as the API does.
 */
export interface KaizenApi {
  request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiAnswer>;
}

/** A non-2xx answer, with the API's own message and error code. */
export class ApiCallError extends Error {
  override readonly name = 'ApiCallError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The parsed body of a 2xx answer; otherwise an ApiCallError carrying the API's message. */
export async function callApi<T>(api: KaizenApi, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const r = await api.request(method, path, body);
  let parsed: unknown = undefined;
  try {
    parsed = r.text ? JSON.parse(r.text) : null;
  } catch {
    parsed = undefined;
  }
  if (r.status >= 200 && r.status < 300) {
    if (parsed === undefined) throw new ApiCallError(r.status, 'KAIZEN_ERR_BAD_ANSWER', 'The API answered non-JSON');
    return parsed as T;
  }
  const error = (parsed as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  throw new ApiCallError(
    r.status,
    typeof error?.code === 'string' ? error.code : `HTTP_${r.status}`,
    typeof error?.message === 'string' ? error.message : `The API answered ${r.status}`,
  );
}

/** The API of a Fastify instance in this process, with the service's own bearer token. */
export function injectApi(fastify: Pick<FastifyInstance, 'inject'>, token: string | undefined): KaizenApi {
  return {
    async request(method, path, body) {
      const headers: Record<string, string> = {};
      if (token) headers['authorization'] = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const r = await fastify.inject({
        method,
        url: path,
        headers,
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      });
      return { status: r.statusCode, text: r.body };
    },
  };
}

/** `/api/...?a=1&b=2`, leaving out undefined values. */
export function apiPath(path: string, query: Record<string, string | number | boolean | undefined> = {}): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) qs.set(k, String(v));
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}
