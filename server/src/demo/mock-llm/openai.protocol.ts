import type { ServerResponse } from 'node:http';
import { answerChat, embeddingOf } from './chat-model.js';
import {
  isObject,
  optionalInt,
  optionalNumber,
  pieces,
  requiredString,
  sendJson,
  sendSse,
  str,
  type MockContext,
  type MockRequest,
} from './http-io.js';
import { MockHttpError, type ChatAnswer, type ChatMessage, type ChatRequest, type ToolSpec } from './mock-llm.types.js';
import { tokensOf } from './token-estimate.js';

/**
 * OpenAI's REST protocol: POST /v1/chat/completions (plain, or SSE chunks with the usage chunk
 * when `stream_options.include_usage` is set) and POST /v1/embeddings (float or base64).
 * Usage is reported the OpenAI way: cached and reasoning tokens inside the totals.
 */

const TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'invalid_request_error',
  404: 'invalid_request_error',
  413: 'invalid_request_error',
  429: 'rate_limit_exceeded',
};

export function openaiError(res: ServerResponse, err: MockHttpError): void {
  const type = TYPES[err.status] ?? 'server_error';
  const code = err.status === 401 ? 'invalid_api_key' : err.status === 429 ? 'rate_limit_exceeded' : null;
  sendJson(res, err.status, { error: { message: err.message, type, param: err.param ?? null, code } }, err.headers);
}

export function openaiAuthorized(req: MockRequest): boolean {
  return /^Bearer\s+\S+/i.test(req.headers.authorization ?? '');
}

const thinks = (model: string) => /^(o\d|gpt-5)/.test(model);

/** The text of a message's content: a string, or an array of parts (text parts only; others ignored). */
function contentText(content: unknown, param: string): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw new MockHttpError(400, `${param} must be a string or an array of parts`, param);
  return content
    .map((p, i) => {
      if (!isObject(p) || typeof p['type'] !== 'string') {
        throw new MockHttpError(400, `${param}[${i}] must be an object with a type`, `${param}[${i}]`);
      }
      return typeof p['text'] === 'string' ? p['text'] : '';
    })
    .join('');
}

function parseArgs(raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'string') return {};
  try {
    const v: unknown = JSON.parse(raw);
    return isObject(v) ? v : {};
  } catch {
    return {};
  }
}

function parseTools(raw: unknown): ToolSpec[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new MockHttpError(400, 'tools must be an array', 'tools');
  return raw.map((t, i) => {
    const fn = isObject(t) ? t['function'] : undefined;
    if (!isObject(fn) || typeof fn['name'] !== 'string') {
      throw new MockHttpError(400, `tools[${i}].function.name is required`, `tools[${i}].function.name`);
    }
    return { name: fn['name'], parameters: fn['parameters'] ?? {} };
  });
}

function parseChat(body: Record<string, unknown>): ChatRequest & { stream: boolean; includeUsage: boolean } {
  const model = requiredString(body, 'model');
  const raw = body['messages'];
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new MockHttpError(400, 'messages must be a non-empty array', 'messages');
  }
  const n = optionalInt(body, 'n', 1, 128);
  if (n !== undefined && n !== 1) throw new MockHttpError(400, 'The Kaizen mock answers n = 1 only', 'n');
  optionalNumber(body, 'temperature', 0, 2);
  optionalNumber(body, 'top_p', 0, 1);
  const maxTokens = optionalInt(body, 'max_completion_tokens', 1, 1e6) ?? optionalInt(body, 'max_tokens', 1, 1e6);
  const system: string[] = [];
  const messages: ChatMessage[] = [];
  raw.forEach((m, i) => {
    const param = `messages[${i}]`;
    if (!isObject(m)) throw new MockHttpError(400, `${param} must be an object`, param);
    const role = m['role'];
    const text = contentText(m['content'], `${param}.content`);
    if (role === 'system' || role === 'developer') system.push(text);
    else if (role === 'user') messages.push({ role: 'user', text });
    else if (role === 'assistant') {
      const calls = Array.isArray(m['tool_calls']) ? m['tool_calls'] : [];
      const toolCalls = calls.filter(isObject).map((c) => {
        const fn = isObject(c['function']) ? c['function'] : {};
        return { id: str(c['id']), name: str(fn['name']), args: parseArgs(fn['arguments']) };
      });
      messages.push({ role: 'assistant', text, toolCalls });
    } else if (role === 'tool') {
      if (typeof m['tool_call_id'] !== 'string') {
        throw new MockHttpError(400, `${param}.tool_call_id is required for tool messages`, `${param}.tool_call_id`);
      }
      messages.push({ role: 'tool', text });
    } else throw new MockHttpError(400, `${param}.role must be system, developer, user, assistant or tool`, param);
  });
  const tools = parseTools(body['tools']);
  const format = isObject(body['response_format']) ? body['response_format'] : {};
  const json = format['type'] === 'json_object' || format['type'] === 'json_schema';
  const schema = isObject(format['json_schema']) ? format['json_schema']['schema'] : undefined;
  const streamOptions = isObject(body['stream_options']) ? body['stream_options'] : {};
  return {
    provider: 'openai',
    model,
    system: system.join('\n'),
    messages,
    tools,
    toolsAllowed: body['tool_choice'] !== 'none',
    maxTokens,
    json,
    jsonSchema: schema,
    prefixText: [JSON.stringify(tools), ...system, ...messages.map((m) => `${m.role}: ${m.text}`)].join('\n'),
    cacheBreakpointChars: 0,
    reasoning: thinks(model),
    stream: body['stream'] === true,
    includeUsage: streamOptions['include_usage'] === true,
  };
}

function usageOf(a: ChatAnswer) {
  const u = a.usage;
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    prompt_tokens_details: { cached_tokens: u.cacheReadTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: u.reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

const toolCallsOf = (a: ChatAnswer) =>
  a.toolCalls.map((c) => ({
    id: c.id,
    type: 'function',
    function: { name: c.name, arguments: JSON.stringify(c.args) },
  }));

export async function openaiChat(req: MockRequest, res: ServerResponse, ctx: MockContext): Promise<void> {
  const chat = parseChat(req.body);
  const answer = answerChat(chat, ctx.seed, ctx.cache);
  ctx.record(answer.usage.inputTokens, answer.usage.outputTokens);
  const id = ctx.id('chatcmpl-');
  const created = Math.floor(Date.now() / 1000);
  const base = { id, created, model: chat.model, system_fingerprint: 'fp_kaizen_mock', service_tier: 'default' };
  await ctx.firstByte();
  if (!chat.stream) {
    const message =
      answer.toolCalls.length > 0
        ? { role: 'assistant', content: null, tool_calls: toolCallsOf(answer), refusal: null, annotations: [] }
        : { role: 'assistant', content: answer.text, refusal: null, annotations: [] };
    return sendJson(res, 200, {
      ...base,
      object: 'chat.completion',
      choices: [{ index: 0, message, logprobs: null, finish_reason: answer.finish }],
      usage: usageOf(answer),
    });
  }
  const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
    ...base,
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(chat.includeUsage ? { usage: null } : {}),
  });
  const events: { data: unknown }[] = [{ data: chunk({ role: 'assistant', content: '', refusal: null }, null) }];
  if (answer.toolCalls.length > 0) {
    toolCallsOf(answer).forEach((c, index) => {
      events.push({
        data: chunk(
          { tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.function.name, arguments: '' } }] },
          null,
        ),
      });
      for (const part of pieces(c.function.arguments, 2)) {
        events.push({ data: chunk({ tool_calls: [{ index, function: { arguments: part } }] }, null) });
      }
    });
  } else {
    for (const part of pieces(answer.text)) events.push({ data: chunk({ content: part }, null) });
  }
  events.push({ data: chunk({}, answer.finish) });
  if (chat.includeUsage) {
    events.push({ data: { ...base, object: 'chat.completion.chunk', choices: [], usage: usageOf(answer) } });
  }
  events.push({ data: '[DONE]' });
  await sendSse(res, ctx, events);
}

/** The inputs of an embeddings request as texts (token arrays count as their length). */
function embeddingInputs(input: unknown): { texts: string[]; tokens: number } {
  if (typeof input === 'string') return { texts: [input], tokens: tokensOf(input) };
  if (Array.isArray(input) && input.length > 0) {
    if (input.every((x) => typeof x === 'number')) return { texts: [input.join(' ')], tokens: input.length };
    if (input.every((x) => typeof x === 'string')) {
      return { texts: input, tokens: input.reduce((s, t) => s + tokensOf(t), 0) };
    }
    if (input.every((x) => Array.isArray(x) && x.every((y) => typeof y === 'number'))) {
      const arrays = input;
      return { texts: arrays.map((a) => a.join(' ')), tokens: arrays.reduce((s, a) => s + a.length, 0) };
    }
  }
  throw new MockHttpError(400, 'input must be a non-empty string, array of strings, or array of token arrays', 'input');
}

export async function openaiEmbeddings(req: MockRequest, res: ServerResponse, ctx: MockContext): Promise<void> {
  const model = requiredString(req.body, 'model');
  const { texts, tokens } = embeddingInputs(req.body['input']);
  const dims = optionalInt(req.body, 'dimensions', 1, 3072) ?? (/large/.test(model) ? 3072 : 1536);
  const format = req.body['encoding_format'] ?? 'float';
  if (format !== 'float' && format !== 'base64') {
    throw new MockHttpError(400, "encoding_format must be 'float' or 'base64'", 'encoding_format');
  }
  ctx.record(tokens, 0);
  await ctx.firstByte();
  sendJson(res, 200, {
    object: 'list',
    model,
    data: texts.map((t, index) => {
      const v = embeddingOf(t, dims, ctx.seed);
      const embedding = format === 'base64' ? Buffer.from(Float32Array.from(v).buffer).toString('base64') : v;
      return { object: 'embedding', index, embedding };
    }),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}
