import type { ServerResponse } from 'node:http';
import { answerChat, embeddingOf } from './chat-model.js';
import {
  isObject,
  optionalInt,
  optionalNumber,
  pieces,
  sendJson,
  sendSse,
  str,
  type MockContext,
  type MockRequest,
} from './http-io.js';
import { MockHttpError, type ChatAnswer, type ChatMessage, type ChatRequest, type ToolSpec } from './mock-llm.types.js';
import { tokensOf } from './token-estimate.js';

/**
 * The Gemini API as both Google SDKs call it: POST /v1beta/models/{model}:generateContent,
 * :streamGenerateContent (SSE with `alt=sse`, else a JSON array), :embedContent,
 * :batchEmbedContents and :countTokens. Usage the Gemini way: promptTokenCount includes
 * cachedContentTokenCount, candidatesTokenCount excludes thoughtsTokenCount. 2.5 and later models
 * think unless `thinkingConfig.thinkingBudget` is 0.
 */

const STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  413: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  503: 'UNAVAILABLE',
};

export function geminiError(res: ServerResponse, err: MockHttpError): void {
  sendJson(
    res,
    err.status,
    { error: { code: err.status, message: err.message, status: STATUS[err.status] ?? 'INTERNAL' } },
    err.headers,
  );
}

export function geminiAuthorized(req: MockRequest): boolean {
  const key = req.headers['x-goog-api-key'];
  return (typeof key === 'string' && key !== '') || (req.query.get('key') ?? '') !== '';
}

/** The model and method of a Gemini path, or undefined when the path is not one. */
export function geminiRoute(path: string): { model: string; method: string } | undefined {
  const m = /^\/v1(?:beta|alpha)?\/models\/([^/:]+):([A-Za-z]+)$/.exec(path);
  return m ? { model: decodeURIComponent(m[1]!), method: m[2]! } : undefined;
}

function partsOf(content: unknown, param: string): Record<string, unknown>[] {
  if (!isObject(content) || !Array.isArray(content['parts'])) {
    throw new MockHttpError(400, `* ${param}.parts: must be a list of parts`);
  }
  return content['parts'].filter(isObject);
}

function parseContents(raw: unknown): { messages: ChatMessage[]; text: string[] } {
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new MockHttpError(400, '* GenerateContentRequest.contents: contents is not specified');
  }
  const messages: ChatMessage[] = [];
  const text: string[] = [];
  raw.forEach((c, i) => {
    const role = isObject(c) ? (c['role'] ?? 'user') : undefined;
    if (role !== 'user' && role !== 'model' && role !== 'function') {
      throw new MockHttpError(
        400,
        `* GenerateContentRequest.contents[${i}].role: Please use a valid role: user, model.`,
      );
    }
    const texts: string[] = [];
    const toolCalls: { id: string; name: string; args: Record<string, unknown> }[] = [];
    for (const p of partsOf(c, `GenerateContentRequest.contents[${i}]`)) {
      if (typeof p['text'] === 'string') texts.push(p['text']);
      else if (isObject(p['functionCall'])) {
        const fc = p['functionCall'];
        toolCalls.push({ id: '', name: str(fc['name']), args: isObject(fc['args']) ? fc['args'] : {} });
      } else if (isObject(p['functionResponse'])) {
        const fr = p['functionResponse'];
        messages.push({ role: 'tool', text: JSON.stringify(fr['response'] ?? {}), toolName: str(fr['name']) });
      }
    }
    const joined = texts.join('');
    text.push(joined, ...toolCalls.map((t) => JSON.stringify(t.args)));
    if (role === 'model') messages.push({ role: 'assistant', text: joined, toolCalls });
    else if (texts.length > 0) messages.push({ role: 'user', text: joined });
  });
  return { messages, text };
}

function parseTools(raw: unknown): ToolSpec[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new MockHttpError(400, '* GenerateContentRequest.tools: must be a list');
  return raw.flatMap((t) =>
    isObject(t) && Array.isArray(t['functionDeclarations'])
      ? t['functionDeclarations'].filter(isObject).map((f) => ({
          name: str(f['name']),
          parameters: f['parameters'] ?? f['parametersJsonSchema'] ?? {},
        }))
      : [],
  );
}

function parse(model: string, body: Record<string, unknown>): ChatRequest {
  const config = isObject(body['generationConfig']) ? body['generationConfig'] : {};
  const maxTokens = optionalInt(config, 'maxOutputTokens', 1, 1_000_000);
  optionalNumber(config, 'temperature', 0, 2);
  const system = isObject(body['systemInstruction'])
    ? partsOf(body['systemInstruction'], 'systemInstruction')
        .map((p) => (typeof p['text'] === 'string' ? p['text'] : ''))
        .join('\n')
    : typeof body['systemInstruction'] === 'string'
      ? body['systemInstruction']
      : '';
  const tools = parseTools(body['tools']);
  const { messages, text } = parseContents(body['contents']);
  const calling = isObject(body['toolConfig']) ? body['toolConfig']['functionCallingConfig'] : undefined;
  const thinking = isObject(config['thinkingConfig']) ? config['thinkingConfig'] : {};
  const thinks = /^gemini-(2\.5|[3-9])/.test(model) && thinking['thinkingBudget'] !== 0;
  return {
    provider: 'gemini',
    model,
    system,
    messages,
    tools,
    toolsAllowed: !(isObject(calling) && calling['mode'] === 'NONE'),
    maxTokens,
    json: config['responseMimeType'] === 'application/json',
    jsonSchema: config['responseSchema'] ?? config['responseJsonSchema'],
    prefixText: [JSON.stringify(tools), system, ...text].join('\n'),
    cacheBreakpointChars: 0,
    reasoning: thinks,
  };
}

function usageOf(a: ChatAnswer, visibleSoFar = a.usage.outputTokens - a.usage.reasoningTokens) {
  const u = a.usage;
  return {
    promptTokenCount: u.inputTokens,
    candidatesTokenCount: visibleSoFar,
    totalTokenCount: u.inputTokens + visibleSoFar + u.reasoningTokens,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: u.inputTokens }],
    ...(u.cacheReadTokens > 0 ? { cachedContentTokenCount: u.cacheReadTokens } : {}),
    ...(u.reasoningTokens > 0 ? { thoughtsTokenCount: u.reasoningTokens } : {}),
  };
}

const FINISH: Record<ChatAnswer['finish'], string> = { stop: 'STOP', length: 'MAX_TOKENS', tool_calls: 'STOP' };

async function generate(
  req: MockRequest,
  res: ServerResponse,
  ctx: MockContext,
  model: string,
  stream: boolean,
): Promise<void> {
  const chat = parse(model, req.body);
  const answer = answerChat(chat, ctx.seed, ctx.cache);
  ctx.record(answer.usage.inputTokens, answer.usage.outputTokens);
  const base = { modelVersion: model, responseId: ctx.id('') };
  const candidate = (parts: unknown[], last: boolean) => ({
    content: { role: 'model', parts },
    ...(last ? { finishReason: FINISH[answer.finish] } : {}),
    index: 0,
  });
  await ctx.firstByte();
  const calls = answer.toolCalls.map((c) => ({ functionCall: { name: c.name, args: c.args } }));
  if (!stream) {
    return sendJson(res, 200, {
      candidates: [candidate(calls.length > 0 ? calls : [{ text: answer.text }], true)],
      usageMetadata: usageOf(answer),
      ...base,
    });
  }
  const texts = calls.length > 0 ? [] : pieces(answer.text);
  const visible = answer.usage.outputTokens - answer.usage.reasoningTokens;
  const chunks =
    calls.length > 0
      ? [{ candidates: [candidate(calls, true)], usageMetadata: usageOf(answer), ...base }]
      : texts.map((t, i) => {
          const last = i === texts.length - 1;
          const soFar = last ? visible : Math.min(visible, tokensOf(texts.slice(0, i + 1).join('')));
          return { candidates: [candidate([{ text: t }], last)], usageMetadata: usageOf(answer, soFar), ...base };
        });
  if (req.query.get('alt') === 'sse')
    return sendSse(
      res,
      ctx,
      chunks.map((data) => ({ data })),
    );
  sendJson(res, 200, chunks);
}

function embedText(content: unknown, param: string): string {
  return partsOf(content, param)
    .map((p) => (typeof p['text'] === 'string' ? p['text'] : ''))
    .join(' ');
}

async function embed(req: MockRequest, res: ServerResponse, ctx: MockContext, model: string, batch: boolean) {
  const dims = (r: Record<string, unknown>) =>
    optionalInt(r, 'outputDimensionality', 1, 3072) ?? (/gemini-embedding/.test(model) ? 3072 : 768);
  const requests = batch ? req.body['requests'] : [req.body];
  if (!Array.isArray(requests) || requests.length === 0) {
    throw new MockHttpError(400, '* BatchEmbedContentsRequest.requests: requests is not specified');
  }
  const vectors = requests.map((r, i) => {
    if (!isObject(r)) throw new MockHttpError(400, `* requests[${i}]: must be an object`);
    const text = embedText(r['content'], batch ? `requests[${i}].content` : 'content');
    ctx.record(tokensOf(text), 0);
    return { values: embeddingOf(text, dims(r), ctx.seed) };
  });
  await ctx.firstByte();
  sendJson(res, 200, batch ? { embeddings: vectors } : { embedding: vectors[0] });
}

export async function gemini(
  req: MockRequest,
  res: ServerResponse,
  ctx: MockContext,
  route: { model: string; method: string },
): Promise<void> {
  switch (route.method) {
    case 'generateContent':
      return generate(req, res, ctx, route.model, false);
    case 'streamGenerateContent':
      return generate(req, res, ctx, route.model, true);
    case 'embedContent':
      return embed(req, res, ctx, route.model, false);
    case 'batchEmbedContents':
      return embed(req, res, ctx, route.model, true);
    case 'countTokens': {
      const { text } = parseContents(req.body['contents']);
      return sendJson(res, 200, { totalTokens: text.reduce((s, t) => s + tokensOf(t), 0) });
    }
    default:
      throw new MockHttpError(404, `Method ${route.method} is not supported by the Kaizen mock`);
  }
}
