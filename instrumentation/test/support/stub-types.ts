import type { ServerResponse } from 'node:http';

/** What a stub handler gets: the parsed request, its prompt text and the markers found in it. */
export interface StubRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Record<string, unknown>;
  /** All the text of the request's messages, joined (markers are read from it). */
  readonly prompt: string;
}

/**
 * Markers a prompt can carry to choose the stub's answer, so concurrent tests need no shared state:
 * `[tool]` answers with a tool call, `[error:429]` / `[error:500]` with that status.
 */
export interface Markers {
  readonly tool: boolean;
  readonly status: number | undefined;
}

export function modelOf(req: StubRequest, fallback: string): string {
  const model = req.body['model'];
  return typeof model === 'string' ? model : fallback;
}

export function markers(prompt: string): Markers {
  const status = /\[error:(\d{3})\]/.exec(prompt)?.[1];
  return { tool: prompt.includes('[tool]'), status: status === undefined ? undefined : Number(status) };
}

/** Text the stub answers with; override to script another answer (e.g. a judge's JSON). */
export type AnswerText = (request: StubRequest) => string;

export const defaultAnswer: AnswerText = () => 'Hello from the stub.';

/** Splits an answer into stream chunks of about three words. */
export function chunks(text: string): string[] {
  const words = text.split(/(?<= )/);
  const out: string[] = [];
  for (let i = 0; i < words.length; i += 3) out.push(words.slice(i, i + 3).join(''));
  return out.length > 0 ? out : [''];
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

/** Writes server-sent events, one per item, then ends the response. */
export async function sendSse(res: ServerResponse, events: { event?: string; data: unknown }[]): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  for (const e of events) {
    if (res.destroyed) return;
    const head = e.event === undefined ? '' : `event: ${e.event}\n`;
    res.write(`${head}data: ${typeof e.data === 'string' ? e.data : JSON.stringify(e.data)}\n\n`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  res.end();
}
