import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicAuthorized, anthropicError, anthropicMessages } from './anthropic.protocol.js';
import { gemini, geminiAuthorized, geminiError, geminiRoute } from './gemini.protocol.js';
import { readJsonBody, type MockContext, type MockRequest } from './http-io.js';
import { MockHttpError, type Provider } from './mock-llm.types.js';
import { openaiResponses } from './openai-responses.protocol.js';
import { openaiAuthorized, openaiChat, openaiEmbeddings, openaiError } from './openai.protocol.js';
import { PromptCache } from './prompt-cache.js';
import { hash32, Seeded } from '../seeded.js';

/**
 * A local stand-in for the OpenAI, Anthropic and Gemini APIs, on 127.0.0.1 (port 0 picks a free
 * port), good enough for their real SDKs: no key, no network, no cost. Answers are deterministic
 * for a seed, token counts realistic (about four characters per token, prompt caching included),
 * latency a few milliseconds, and failures (429 / 5xx with Retry-After) can be injected at a rate.
 * Point the SDKs at it:
 * - openai: `new OpenAI({ baseURL: mock.openaiBaseURL, apiKey: 'demo' })`
 * - @anthropic-ai/sdk: `new Anthropic({ baseURL: mock.url, apiKey: 'demo' })`
 * - @google/genai: `new GoogleGenAI({ apiKey: 'demo', httpOptions: { baseUrl: mock.url } })`
 * - @google/generative-ai: `genAI.getGenerativeModel({ model }, { baseUrl: mock.url })`
 */

export interface MockLlmOptions {
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Same seed, same answers. Default 42. */
  readonly seed?: number;
  /** Mean time to the first byte of an answer, in ms (default 4; 0 for none). */
  readonly latencyMs?: number;
  /** Share of model calls answered with an injected 429 or 5xx (0..1, default 0). */
  readonly failureRate?: number;
  /** Largest request body accepted (default 16 MiB). */
  readonly maxBodyBytes?: number;
}

export interface MockLlmStats {
  /** Requests received, whatever their outcome. */
  readonly requests: number;
  /** Calls answered with a model response (chat or embeddings). */
  readonly answered: number;
  /** Injected failures (429 / 5xx). */
  readonly injectedFailures: number;
  /** Requests refused as invalid (4xx). */
  readonly rejected: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly byProvider: Readonly<Record<Provider, number>>;
}

export interface MockLlmServer {
  /** The base URL (Anthropic and Gemini SDKs). */
  readonly url: string;
  /** `${url}/v1`, the OpenAI SDK's baseURL. */
  readonly openaiBaseURL: string;
  readonly port: number;
  stats(): MockLlmStats;
  close(): Promise<void>;
}

interface Route {
  readonly provider: Provider;
  readonly authorized: (req: MockRequest) => boolean;
  readonly handle: (req: MockRequest, res: ServerResponse, ctx: MockContext) => Promise<void>;
  readonly error: (res: ServerResponse, err: MockHttpError) => void;
}

const OPENAI = { provider: 'openai', authorized: openaiAuthorized, error: openaiError } as const;
const ANTHROPIC = { provider: 'anthropic', authorized: anthropicAuthorized, error: anthropicError } as const;
const GEMINI = { provider: 'gemini', authorized: geminiAuthorized, error: geminiError } as const;

function routeOf(path: string): Route | undefined {
  if (path === '/v1/chat/completions') return { ...OPENAI, handle: openaiChat };
  if (path === '/v1/embeddings') return { ...OPENAI, handle: openaiEmbeddings };
  if (path === '/v1/responses') return { ...OPENAI, handle: openaiResponses };
  if (path === '/v1/messages') return { ...ANTHROPIC, handle: anthropicMessages };
  const g = geminiRoute(path);
  if (g) return { ...GEMINI, handle: (req, res, ctx) => gemini(req, res, ctx, g) };
  return undefined;
}

/** The error shape for a path no route serves, guessed from the path. */
function fallbackError(path: string) {
  return path.startsWith('/v1beta') || path.includes('/models/') ? GEMINI.error : OPENAI.error;
}

const FAILURES: Record<Provider, readonly [number, string][]> = {
  openai: [
    [429, 'Rate limit reached for requests. Please try again shortly.'],
    [500, 'The server had an error while processing your request.'],
  ],
  anthropic: [
    [429, 'Number of requests has exceeded your rate limit.'],
    [529, 'Overloaded'],
  ],
  gemini: [
    [429, 'Resource has been exhausted (e.g. check quota).'],
    [503, 'The model is overloaded. Please try again later.'],
  ],
};

export async function startMockLlm(options: MockLlmOptions = {}): Promise<MockLlmServer> {
  const seed = options.seed ?? 42;
  const latency = Math.max(0, options.latencyMs ?? 4);
  const failureRate = Math.min(Math.max(options.failureRate ?? 0, 0), 1);
  const limit = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const cache = new PromptCache();
  const jitter = new Seeded(hash32(seed, 'latency'));
  const seen = new Map<number, number>();
  let ids = 0;
  const stats = {
    requests: 0,
    answered: 0,
    injectedFailures: 0,
    rejected: 0,
    inputTokens: 0,
    outputTokens: 0,
    byProvider: { openai: 0, anthropic: 0, gemini: 0 },
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => (ms >= 1 ? setTimeout(resolve, ms) : setImmediate(resolve)));
  const ctx: MockContext = {
    seed,
    cache,
    firstByte: () => (latency > 0 ? sleep(latency * (0.5 + jitter.next())) : Promise.resolve()),
    betweenChunks: () => sleep(latency / 10),
    id: (prefix) => `${prefix}kz${(++ids).toString(36).padStart(10, '0')}`,
    record: (input, output) => {
      stats.inputTokens += input;
      stats.outputTokens += output;
    },
  };

  /** Whether to fail this request: decided by its content and how often it was seen, so reruns repeat it. */
  function injected(route: Route, req: MockRequest): MockHttpError | undefined {
    if (failureRate === 0) return undefined;
    const key = hash32(seed, 'fail', req.path, JSON.stringify(req.body));
    const n = seen.get(key) ?? 0;
    if (seen.size > 200_000) seen.clear();
    seen.set(key, n + 1);
    const rng = new Seeded(hash32(key, n));
    if (!rng.chance(failureRate)) return undefined;
    const [status, message] = rng.chance(0.75) ? FAILURES[route.provider][0]! : FAILURES[route.provider][1]!;
    return new MockHttpError(status, message, undefined, { 'retry-after': '1', 'retry-after-ms': '20' });
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    stats.requests++;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = routeOf(url.pathname);
    const fail = (err: MockHttpError) => {
      if (err.status < 500 && err.status !== 429) stats.rejected++;
      (route?.error ?? fallbackError(url.pathname))(res, err);
    };
    if (!route) {
      req.resume();
      return fail(new MockHttpError(404, `Unknown request URL: ${req.method ?? 'GET'} ${url.pathname}`));
    }
    if (req.method !== 'POST') {
      req.resume();
      return fail(new MockHttpError(405, `Method ${req.method ?? ''} not allowed; use POST`));
    }
    try {
      const head = { method: 'POST', path: url.pathname, query: url.searchParams, headers: req.headers, body: {} };
      if (!route.authorized(head)) {
        req.resume();
        const status = route.provider === 'gemini' ? 403 : 401;
        return fail(new MockHttpError(status, 'No API key was provided (any non-empty key works with the mock)'));
      }
      const request: MockRequest = { ...head, body: await readJsonBody(req, limit) };
      stats.byProvider[route.provider]++;
      const failure = injected(route, request);
      if (failure) {
        stats.injectedFailures++;
        await ctx.firstByte();
        return route.error(res, failure);
      }
      await route.handle(request, res, ctx);
      stats.answered++;
    } catch (e) {
      if (e instanceof MockHttpError) return fail(e);
      fail(new MockHttpError(500, `The Kaizen mock failed: ${e instanceof Error ? e.message : String(e)}`));
    }
  }

  const server: Server = createServer((req, res) => void serve(req, res));
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const url = `http://${host}:${port}`;
  return {
    url,
    openaiBaseURL: `${url}/v1`,
    port,
    stats: () => ({ ...stats, byProvider: { ...stats.byProvider } }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
