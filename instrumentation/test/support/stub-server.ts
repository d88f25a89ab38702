import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicMessages } from './stub-anthropic.ts';
import { gemini, geminiRoute } from './stub-gemini.ts';
import { openaiChat, openaiEmbeddings, openaiResponses } from './stub-openai.ts';
import { defaultAnswer, sendJson, type AnswerText, type StubRequest } from './stub-types.ts';

/**
 * A local stand-in for the OpenAI, Anthropic and Gemini APIs on 127.0.0.1 (port 0), speaking their
 * REST and SSE protocols well enough for the real SDKs. Point the SDKs at it:
 * - openai: `new OpenAI({ baseURL: stub.openaiBaseURL, apiKey: 'test' })`
 * - @anthropic-ai/sdk: `new Anthropic({ baseURL: stub.url, apiKey: 'test' })`
 * - @google/generative-ai: `getGenerativeModel({ model }, { baseUrl: stub.url })`
 * - @google/genai: `new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl: stub.url } })`
 * Prompt markers choose the answer: `[tool]` (a tool call), `[error:429]`, `[error:500]`.
 */
export interface StubServer {
  readonly url: string;
  readonly openaiBaseURL: string;
  readonly port: number;
  /** Every request received, in order. */
  readonly requests: StubRequest[];
  close(): Promise<void>;
}

export interface StubServerOptions {
  /** The answer text (default "Hello from the stub."). */
  readonly answer?: AnswerText | undefined;
}

const PROMPT_FIELDS = [
  'messages',
  'input',
  'contents',
  'content',
  'system',
  'instructions',
  'systemInstruction',
  'requests',
];

function strings(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) strings(v, out);
}

function promptOf(body: Record<string, unknown>): string {
  const out: string[] = [];
  for (const key of PROMPT_FIELDS) strings(body[key], out);
  return out.join('\n');
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const parts: Buffer[] = [];
  for await (const chunk of req) parts.push(chunk as Buffer);
  const text = Buffer.concat(parts).toString('utf8');
  if (text === '') return {};
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

async function route(req: StubRequest, res: ServerResponse, answer: AnswerText): Promise<void> {
  if (req.method !== 'POST') return sendJson(res, 404, { error: { message: 'not found' } });
  const path = req.path;
  if (path.endsWith('/chat/completions')) return openaiChat(req, res, answer);
  if (path.endsWith('/responses')) return openaiResponses(req, res, answer);
  if (path.endsWith('/embeddings')) return openaiEmbeddings(req, res);
  if (path.endsWith('/v1/messages')) return anthropicMessages(req, res, answer);
  const g = geminiRoute(path);
  if (g !== undefined) return gemini(req, res, g, answer);
  sendJson(res, 404, { error: { message: `no stub for ${path}` } });
}

export async function startStubServer(options: StubServerOptions = {}): Promise<StubServer> {
  const requests: StubRequest[] = [];
  const answer = options.answer ?? defaultAnswer;
  const server: Server = createServer((req, res) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const body = await readBody(req);
        const request: StubRequest = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body,
          prompt: promptOf(body),
        };
        requests.push(request);
        await route(request, res, answer);
      } catch (err) {
        if (!res.headersSent) sendJson(res, 400, { error: { message: String(err) } });
        else res.destroy();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    openaiBaseURL: `${url}/v1`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
