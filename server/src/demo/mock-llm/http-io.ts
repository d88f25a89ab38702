import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { MockHttpError } from './mock-llm.types.js';
import type { PromptCache } from './prompt-cache.js';

/** A request as the protocol handlers see it: the JSON body parsed, the path split from the query. */
export interface MockRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

/** What handlers share: the seed, the prompt cache, pacing, ids. */
export interface MockContext {
  readonly seed: number;
  readonly cache: PromptCache;
  /** Waits the time a real model takes before its first byte. */
  firstByte(): Promise<void>;
  /** Waits between two stream chunks. */
  betweenChunks(): Promise<void>;
  /** A fresh id with a provider's prefix ("chatcmpl", "msg" …). */
  id(prefix: string): string;
  /** Counts a model call's tokens (for the server's statistics). */
  record(inputTokens: number, outputTokens: number): void;
}

/** Reads a JSON object body, refusing anything larger than `limit` bytes or not a JSON object. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new MockHttpError(413, `Request body of ${declared} bytes exceeds ${limit} bytes`);
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new MockHttpError(413, `Request body exceeds ${limit} bytes`);
    parts.push(chunk as Buffer);
  }
  const text = Buffer.concat(parts).toString('utf8');
  if (text.trim() === '') throw new MockHttpError(400, 'The request body is empty; a JSON object is required');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new MockHttpError(400, 'The request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new MockHttpError(400, 'The request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const data = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

/** Streams server-sent events (`event:` line when named), pacing them like a model's tokens. */
export async function sendSse(
  res: ServerResponse,
  ctx: MockContext,
  events: readonly { readonly event?: string; readonly data: unknown }[],
  headers: Readonly<Record<string, string>> = {},
): Promise<void> {
  res.writeHead(200, { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const [i, e] of events.entries()) {
    if (res.destroyed) return;
    if (i > 0) await ctx.betweenChunks();
    const head = e.event === undefined ? '' : `event: ${e.event}\n`;
    res.write(`${head}data: ${typeof e.data === 'string' ? e.data : JSON.stringify(e.data)}\n\n`);
  }
  res.end();
}

/** Splits text into stream pieces of a few words (whitespace kept, so the pieces join back exactly). */
export function pieces(text: string, wordsPerPiece = 4): string[] {
  const words = text.split(/(?<=\s)/);
  const out: string[] = [];
  for (let i = 0; i < words.length; i += wordsPerPiece) out.push(words.slice(i, i + wordsPerPiece).join(''));
  return out.length > 0 ? out : [''];
}

/** Type guards for reading request bodies. */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A field as a string ('' when it is not one). */
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function optionalInt(body: Record<string, unknown>, key: string, min: number, max: number): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new MockHttpError(400, `${key} must be an integer between ${min} and ${max}`, key);
  }
  return v;
}

export function optionalNumber(
  body: Record<string, unknown>,
  key: string,
  min: number,
  max: number,
): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new MockHttpError(400, `${key} must be a number between ${min} and ${max}`, key);
  }
  return v;
}

export function requiredString(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  if (typeof v !== 'string' || v.trim() === '') throw new MockHttpError(400, `${key} is required (a string)`, key);
  return v;
}
