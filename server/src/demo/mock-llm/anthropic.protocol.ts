import type { ServerResponse } from 'node:http';
import { answerChat } from './chat-model.js';
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

/**
 * Anthropic's Messages API: POST /v1/messages, plain or streamed (message_start, content blocks,
 * message_delta with the usage, message_stop). Prompt caching follows cache_control breakpoints:
 * the prefix up to the last one is written on a miss and read on a hit, and — as Anthropic reports
 * it — input_tokens excludes the cache reads and writes.
 */

const TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

export function anthropicError(res: ServerResponse, err: MockHttpError): void {
  sendJson(
    res,
    err.status,
    { type: 'error', error: { type: TYPES[err.status] ?? 'api_error', message: err.message } },
    err.headers,
  );
}

export function anthropicAuthorized(req: MockRequest): boolean {
  const key = req.headers['x-api-key'];
  return (typeof key === 'string' && key !== '') || /^Bearer\s+\S+/i.test(req.headers.authorization ?? '');
}

/** Builds the request text in provider order, remembering where the last cache_control breakpoint ends. */
class PrefixText {
  text = '';
  breakpoint = 0;
  add(s: string, block: unknown): void {
    this.text += `${s}\n`;
    if (isObject(block) && block['cache_control'] !== undefined && block['cache_control'] !== null) {
      this.breakpoint = this.text.length;
    }
  }
}

function blocksOf(content: unknown, param: string): Record<string, unknown>[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw new MockHttpError(400, `${param}: content must be a string or an array of blocks`);
  return content.map((b, i) => {
    if (!isObject(b) || typeof b['type'] !== 'string') {
      throw new MockHttpError(400, `${param}.content.${i}: each block must be an object with a type`);
    }
    return b;
  });
}

function toolResultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((b) => (isObject(b) && typeof b['text'] === 'string' ? b['text'] : '')).join('');
}

function parseMessages(raw: unknown, prefix: PrefixText): ChatMessage[] {
  if (!Array.isArray(raw) || raw.length === 0)
    throw new MockHttpError(400, 'messages: at least one message is required');
  const out: ChatMessage[] = [];
  raw.forEach((m, i) => {
    const param = `messages.${i}`;
    if (!isObject(m) || (m['role'] !== 'user' && m['role'] !== 'assistant')) {
      throw new MockHttpError(400, `${param}.role: Input should be 'user' or 'assistant'`);
    }
    const blocks = blocksOf(m['content'], param);
    const texts: string[] = [];
    const toolCalls: { id: string; name: string; args: Record<string, unknown> }[] = [];
    for (const b of blocks) {
      if (b['type'] === 'text' && typeof b['text'] === 'string') {
        texts.push(b['text']);
        prefix.add(b['text'], b);
      } else if (b['type'] === 'tool_use') {
        const args = isObject(b['input']) ? b['input'] : {};
        toolCalls.push({ id: str(b['id']), name: str(b['name']), args });
        prefix.add(JSON.stringify(args), b);
      } else if (b['type'] === 'tool_result') {
        const text = toolResultText(b['content']);
        out.push({ role: 'tool', text });
        prefix.add(text, b);
      }
    }
    if (m['role'] === 'assistant') out.push({ role: 'assistant', text: texts.join(''), toolCalls });
    else if (texts.length > 0) out.push({ role: 'user', text: texts.join('\n') });
  });
  return out;
}

function parseTools(raw: unknown, prefix: PrefixText): ToolSpec[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new MockHttpError(400, 'tools: Input should be a valid list');
  return raw.map((t, i) => {
    if (!isObject(t) || typeof t['name'] !== 'string') throw new MockHttpError(400, `tools.${i}.name: Field required`);
    prefix.add(`${t['name']} ${JSON.stringify(t['input_schema'] ?? {})}`, t);
    return { name: t['name'], parameters: t['input_schema'] ?? {} };
  });
}

function parseSystem(raw: unknown, prefix: PrefixText): string {
  if (raw === undefined) return '';
  if (typeof raw === 'string') {
    prefix.add(raw, undefined);
    return raw;
  }
  if (!Array.isArray(raw))
    throw new MockHttpError(400, 'system: Input should be a valid string or list of text blocks');
  return raw
    .map((b, i) => {
      if (!isObject(b) || typeof b['text'] !== 'string')
        throw new MockHttpError(400, `system.${i}.text: Field required`);
      prefix.add(b['text'], b);
      return b['text'];
    })
    .join('\n');
}

function parse(req: MockRequest): ChatRequest & { stream: boolean } {
  if (req.headers['anthropic-version'] === undefined) {
    throw new MockHttpError(400, 'anthropic-version: header is required');
  }
  const body = req.body;
  const model = requiredString(body, 'model');
  const maxTokens = optionalInt(body, 'max_tokens', 1, 1_000_000);
  if (maxTokens === undefined) throw new MockHttpError(400, 'max_tokens: Field required');
  optionalNumber(body, 'temperature', 0, 1);
  const prefix = new PrefixText();
  const tools = parseTools(body['tools'], prefix);
  const system = parseSystem(body['system'], prefix);
  const messages = parseMessages(body['messages'], prefix);
  const thinking = isObject(body['thinking']) && body['thinking']['type'] === 'enabled';
  return {
    provider: 'anthropic',
    model,
    system,
    messages,
    tools,
    toolsAllowed: !(isObject(body['tool_choice']) && body['tool_choice']['type'] === 'none'),
    maxTokens,
    json: false,
    jsonSchema: undefined,
    prefixText: prefix.text,
    cacheBreakpointChars: prefix.breakpoint,
    reasoning: thinking,
    stream: body['stream'] === true,
  };
}

const STOP: Record<ChatAnswer['finish'], string> = { stop: 'end_turn', length: 'max_tokens', tool_calls: 'tool_use' };

function usageOf(a: ChatAnswer, outputTokens = a.usage.outputTokens) {
  const u = a.usage;
  return {
    input_tokens: u.inputTokens - u.cacheReadTokens - u.cacheWriteTokens,
    cache_creation_input_tokens: u.cacheWriteTokens,
    cache_read_input_tokens: u.cacheReadTokens,
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

function contentOf(a: ChatAnswer, ctx: MockContext): Record<string, unknown>[] {
  if (a.toolCalls.length > 0) {
    return a.toolCalls.map((c) => ({ type: 'tool_use', id: ctx.id('toolu_'), name: c.name, input: c.args }));
  }
  return [{ type: 'text', text: a.text }];
}

export async function anthropicMessages(req: MockRequest, res: ServerResponse, ctx: MockContext): Promise<void> {
  const chat = parse(req);
  const answer = answerChat(chat, ctx.seed, ctx.cache);
  ctx.record(answer.usage.inputTokens, answer.usage.outputTokens);
  const message = { id: ctx.id('msg_'), type: 'message', role: 'assistant', model: chat.model };
  const content = contentOf(answer, ctx);
  const headers = { 'request-id': ctx.id('req_') };
  await ctx.firstByte();
  if (!chat.stream) {
    return sendJson(
      res,
      200,
      { ...message, content, stop_reason: STOP[answer.finish], stop_sequence: null, usage: usageOf(answer) },
      headers,
    );
  }
  const events: { event: string; data: Record<string, unknown> }[] = [];
  const add = (type: string, data: Record<string, unknown>) => events.push({ event: type, data: { type, ...data } });
  add('message_start', {
    message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: usageOf(answer, 1) },
  });
  content.forEach((block, index) => {
    if (block['type'] === 'tool_use') {
      add('content_block_start', { index, content_block: { ...block, input: {} } });
      for (const part of pieces(JSON.stringify(block['input']), 2)) {
        add('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: part } });
      }
    } else {
      add('content_block_start', { index, content_block: { type: 'text', text: '' } });
      if (index === 0) add('ping', {});
      for (const part of pieces(String(block['text']))) {
        add('content_block_delta', { index, delta: { type: 'text_delta', text: part } });
      }
    }
    add('content_block_stop', { index });
  });
  add('message_delta', {
    delta: { stop_reason: STOP[answer.finish], stop_sequence: null },
    usage: { output_tokens: answer.usage.outputTokens },
  });
  add('message_stop', {});
  await sendSse(res, ctx, events, headers);
}
