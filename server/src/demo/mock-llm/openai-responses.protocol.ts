import type { ServerResponse } from 'node:http';
import { answerChat } from './chat-model.js';
import {
  isObject,
  optionalInt,
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
 * OpenAI's Responses API: POST /v1/responses, plain or streamed as its typed events
 * (response.created … response.output_text.delta … response.completed). A cut-off answer is
 * `status: "incomplete"` with `incomplete_details.reason: "max_output_tokens"`.
 */

const thinks = (model: string) => /^(o\d|gpt-5)/.test(model);

function partsText(content: unknown, param: string): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw new MockHttpError(400, `${param} must be a string or an array of parts`, param);
  return content.map((p) => (isObject(p) ? str(p['text']) : '')).join('');
}

function parseInput(input: unknown, system: string[]): ChatMessage[] {
  if (typeof input === 'string') return [{ role: 'user', text: input }];
  if (!Array.isArray(input) || input.length === 0) {
    throw new MockHttpError(400, 'input must be a string or a non-empty array of items', 'input');
  }
  const messages: ChatMessage[] = [];
  input.forEach((item, i) => {
    const param = `input[${i}]`;
    if (!isObject(item)) throw new MockHttpError(400, `${param} must be an object`, param);
    const type = item['type'] ?? 'message';
    if (type === 'function_call') {
      let args: Record<string, unknown> = {};
      try {
        const parsed: unknown = JSON.parse(str(item['arguments']) || '{}');
        if (isObject(parsed)) args = parsed;
      } catch {
        // arguments as the model wrote them; nothing to read
      }
      messages.push({
        role: 'assistant',
        text: '',
        toolCalls: [{ id: str(item['call_id']), name: str(item['name']), args }],
      });
    } else if (type === 'function_call_output') {
      messages.push({
        role: 'tool',
        text: typeof item['output'] === 'string' ? item['output'] : JSON.stringify(item['output']),
      });
    } else if (type === 'message') {
      const role = item['role'];
      const text = partsText(item['content'], `${param}.content`);
      if (role === 'system' || role === 'developer') system.push(text);
      else if (role === 'user' || role === 'assistant') messages.push({ role, text });
      else throw new MockHttpError(400, `${param}.role must be user, assistant, system or developer`, `${param}.role`);
    }
  });
  return messages;
}

function parse(body: Record<string, unknown>): ChatRequest & { stream: boolean } {
  const model = requiredString(body, 'model');
  const system = typeof body['instructions'] === 'string' ? [body['instructions']] : [];
  const messages = parseInput(body['input'], system);
  const tools: ToolSpec[] = Array.isArray(body['tools'])
    ? body['tools']
        .filter(isObject)
        .flatMap((t) => (t['type'] === 'function' ? [{ name: str(t['name']), parameters: t['parameters'] ?? {} }] : []))
    : [];
  const format = isObject(body['text']) && isObject(body['text']['format']) ? body['text']['format'] : {};
  return {
    provider: 'openai',
    model,
    system: system.join('\n'),
    messages,
    tools,
    toolsAllowed: body['tool_choice'] !== 'none',
    maxTokens: optionalInt(body, 'max_output_tokens', 16, 1e6),
    json: format['type'] === 'json_schema' || format['type'] === 'json_object',
    jsonSchema: format['schema'],
    prefixText: [JSON.stringify(tools), ...system, ...messages.map((m) => `${m.role}: ${m.text}`)].join('\n'),
    cacheBreakpointChars: 0,
    reasoning: thinks(model),
    stream: body['stream'] === true,
  };
}

export async function openaiResponses(req: MockRequest, res: ServerResponse, ctx: MockContext): Promise<void> {
  const chat = parse(req.body);
  const a: ChatAnswer = answerChat(chat, ctx.seed, ctx.cache);
  ctx.record(a.usage.inputTokens, a.usage.outputTokens);
  const u = a.usage;
  const messageId = ctx.id('msg_');
  const items: Record<string, unknown>[] = [
    ...(u.reasoningTokens > 0 ? [{ type: 'reasoning', id: ctx.id('rs_'), summary: [] }] : []),
    ...(a.toolCalls.length > 0
      ? a.toolCalls.map((c) => ({
          type: 'function_call',
          id: ctx.id('fc_'),
          call_id: c.id,
          name: c.name,
          arguments: JSON.stringify(c.args),
          status: 'completed',
        }))
      : [
          {
            type: 'message',
            id: messageId,
            status: 'completed',
            role: 'assistant',
            content: [{ type: 'output_text', text: a.text, annotations: [], logprobs: [] }],
          },
        ]),
  ];
  const response = (status: string, output: unknown[], usage: unknown) => ({
    id: ctx.id('resp_'),
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    error: null,
    model: chat.model,
    instructions: req.body['instructions'] ?? null,
    max_output_tokens: chat.maxTokens ?? null,
    output,
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    text: { format: { type: 'text' } },
    metadata: {},
    usage,
  });
  const usage = {
    input_tokens: u.inputTokens,
    input_tokens_details: { cached_tokens: u.cacheReadTokens },
    output_tokens: u.outputTokens,
    output_tokens_details: { reasoning_tokens: u.reasoningTokens },
    total_tokens: u.inputTokens + u.outputTokens,
  };
  const final = response(a.finish === 'length' ? 'incomplete' : 'completed', items, usage);
  await ctx.firstByte();
  if (!chat.stream) return sendJson(res, 200, final);
  let seq = 0;
  const events: { event: string; data: Record<string, unknown> }[] = [];
  const add = (type: string, data: Record<string, unknown>) =>
    events.push({ event: type, data: { type, sequence_number: seq++, ...data } });
  const started = { ...final, status: 'in_progress', output: [], usage: null };
  add('response.created', { response: started });
  add('response.in_progress', { response: started });
  items.forEach((item, output_index) => {
    if (item['type'] === 'message') {
      add('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', content: [] } });
      const part = { type: 'output_text', text: '', annotations: [] };
      add('response.content_part.added', { item_id: messageId, output_index, content_index: 0, part });
      for (const delta of pieces(a.text)) {
        add('response.output_text.delta', { item_id: messageId, output_index, content_index: 0, delta, logprobs: [] });
      }
      add('response.output_text.done', {
        item_id: messageId,
        output_index,
        content_index: 0,
        text: a.text,
        logprobs: [],
      });
      add('response.content_part.done', {
        item_id: messageId,
        output_index,
        content_index: 0,
        part: { ...part, text: a.text },
      });
    } else if (item['type'] === 'function_call') {
      add('response.output_item.added', { output_index, item: { ...item, arguments: '', status: 'in_progress' } });
      add('response.function_call_arguments.delta', { item_id: item['id'], output_index, delta: item['arguments'] });
      add('response.function_call_arguments.done', { item_id: item['id'], output_index, arguments: item['arguments'] });
    } else add('response.output_item.added', { output_index, item });
    add('response.output_item.done', { output_index, item });
  });
  add(final.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: final });
  await sendSse(res, ctx, events);
}
