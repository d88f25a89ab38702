import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Gemini REST API (POST /v1beta/models/{model}:generateContent) on
 * 127.0.0.1, for the real @google/generative-ai SDK pointed at it with RequestOptions.baseUrl.
 * Each request is answered by the test's handler: a JSON answer, an error status, or a delay.
 */

export interface StubRequest {
  readonly model: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: {
    contents: { role: string; parts: { text: string }[] }[];
    systemInstruction?: { parts: { text: string }[] } | string;
    generationConfig?: Record<string, unknown>;
  };
  readonly raw: string;
}

export type StubReply =
  | { readonly text: string; readonly promptTokens?: number; readonly outputTokens?: number; readonly delayMs?: number }
  | { readonly status: number; readonly message?: string; readonly delayMs?: number };

export interface GeminiStub {
  readonly baseUrl: string;
  readonly requests: StubRequest[];
  reply: (req: StubRequest) => StubReply;
  close(): Promise<void>;
}

const STATUS_NAMES: Record<number, string> = {
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  400: 'INVALID_ARGUMENT',
};

export async function startGeminiStub(reply: (req: StubRequest) => StubReply): Promise<GeminiStub> {
  const requests: StubRequest[] = [];
  const stub = { reply } as GeminiStub & { reply: (req: StubRequest) => StubReply };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const m = /^\/v1beta\/models\/([^/:]+):generateContent$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !m) {
        res.writeHead(404).end();
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      const request: StubRequest = {
        model: m[1]!,
        headers: req.headers,
        body: JSON.parse(raw) as StubRequest['body'],
        raw,
      };
      requests.push(request);
      const r = stub.reply(request);
      const send = () => {
        if (res.destroyed) return;
        if ('status' in r) {
          res.writeHead(r.status, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              error: {
                code: r.status,
                message: r.message ?? 'stub error',
                status: STATUS_NAMES[r.status] ?? 'UNKNOWN',
              },
            }),
          );
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            candidates: [{ content: { role: 'model', parts: [{ text: r.text }] }, finishReason: 'STOP', index: 0 }],
            usageMetadata: {
              promptTokenCount: r.promptTokens ?? 1200,
              candidatesTokenCount: r.outputTokens ?? 150,
              totalTokenCount: (r.promptTokens ?? 1200) + (r.outputTokens ?? 150),
            },
            modelVersion: request.model,
          }),
        );
      };
      if (r.delayMs) setTimeout(send, r.delayMs).unref();
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(stub, {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** The DATA block the judge sent (the JSON after the first line of the user turn). */
export function sentData(req: StubRequest): {
  calls: { id: string; prompt: string }[];
  candidates: { id: string; kind: string; spanIds: string[] }[];
} {
  const text = req.body.contents[0]!.parts[0]!.text;
  return JSON.parse(text.slice(text.indexOf('\n') + 1)) as ReturnType<typeof sentData>;
}
