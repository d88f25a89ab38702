import type { ServerResponse } from 'node:http';
import { chunks, markers, modelOf, sendJson, sendSse, type AnswerText, type StubRequest } from './stub-types.ts';

/**
 * OpenAI's REST and SSE protocol: /v1/chat/completions (with the final usage chunk, `choices: []`,
 * when `stream_options.include_usage` is set), /v1/responses (its SSE events), /v1/embeddings.
 * Usage includes cached input and reasoning output, as OpenAI reports them (inside the totals).
 */

export const OPENAI_CHAT_USAGE = {
  prompt_tokens: 42,
  completion_tokens: 17,
  total_tokens: 59,
  prompt_tokens_details: { cached_tokens: 12, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 5, audio_tokens: 0 },
};

export const OPENAI_RESPONSES_USAGE = {
  input_tokens: 42,
  output_tokens: 17,
  total_tokens: 59,
  input_tokens_details: { cached_tokens: 12 },
  output_tokens_details: { reasoning_tokens: 5 },
};

function openaiError(res: ServerResponse, status: number): void {
  const type = status === 429 ? 'rate_limit_exceeded' : 'server_error';
  sendJson(res, status, { error: { message: `stub ${status}`, type, code: type, param: null } });
}

const TOOL_CALL = {
  id: 'call_stub_1',
  type: 'function',
  function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
};

export async function openaiChat(req: StubRequest, res: ServerResponse, answer: AnswerText): Promise<void> {
  const m = markers(req.prompt);
  if (m.status !== undefined) return openaiError(res, m.status);
  const model = modelOf(req, 'gpt-stub');
  const created = 1_700_000_000;
  const id = 'chatcmpl-stub-1';
  const text = answer(req);
  if (req.body['stream'] !== true) {
    const message = m.tool
      ? { role: 'assistant', content: null, tool_calls: [TOOL_CALL], refusal: null }
      : { role: 'assistant', content: text, refusal: null };
    return sendJson(res, 200, {
      id,
      object: 'chat.completion',
      created,
      model: `${model}-2026-01-01`,
      choices: [{ index: 0, message, logprobs: null, finish_reason: m.tool ? 'tool_calls' : 'stop' }],
      usage: OPENAI_CHAT_USAGE,
      system_fingerprint: 'fp_stub',
    });
  }
  const includeUsage = (req.body['stream_options'] as { include_usage?: boolean } | undefined)?.include_usage === true;
  const base = {
    id,
    object: 'chat.completion.chunk',
    created,
    model: `${model}-2026-01-01`,
    system_fingerprint: 'fp_stub',
  };
  const withUsage = (c: Record<string, unknown>) => (includeUsage ? { ...c, usage: null } : c);
  const events: { data: unknown }[] = [];
  if (m.tool) {
    events.push({
      data: withUsage({
        ...base,
        choices: [
          {
            index: 0,
            delta: {
              role: 'assistant',
              content: null,
              tool_calls: [
                { index: 0, id: TOOL_CALL.id, type: 'function', function: { name: 'get_weather', arguments: '' } },
              ],
            },
            finish_reason: null,
          },
        ],
      }),
    });
    for (const piece of ['{"city"', ':"Paris"}']) {
      events.push({
        data: withUsage({
          ...base,
          choices: [
            { index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: piece } }] }, finish_reason: null },
          ],
        }),
      });
    }
    events.push({ data: withUsage({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] }) });
  } else {
    events.push({
      data: withUsage({
        ...base,
        choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
      }),
    });
    for (const piece of chunks(text)) {
      events.push({
        data: withUsage({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] }),
      });
    }
    events.push({ data: withUsage({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }) });
  }
  if (includeUsage) events.push({ data: { ...base, choices: [], usage: OPENAI_CHAT_USAGE } });
  events.push({ data: '[DONE]' });
  await sendSse(res, events);
}

export async function openaiResponses(req: StubRequest, res: ServerResponse, answer: AnswerText): Promise<void> {
  const m = markers(req.prompt);
  if (m.status !== undefined) return openaiError(res, m.status);
  const model = `${modelOf(req, 'gpt-stub')}-2026-01-01`;
  const text = answer(req);
  const id = 'resp_stub_1';
  const output = m.tool
    ? [
        {
          type: 'function_call',
          id: 'fc_1',
          call_id: 'call_stub_1',
          name: 'get_weather',
          arguments: '{"city":"Paris"}',
          status: 'completed',
        },
      ]
    : [
        { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Thinking briefly.' }] },
        {
          type: 'message',
          id: 'msg_1',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text, annotations: [] }],
        },
      ];
  const response = (status: string, withOutput: boolean) => ({
    id,
    object: 'response',
    created_at: 1_700_000_000,
    status,
    model,
    output: withOutput ? output : [],
    usage: withOutput ? OPENAI_RESPONSES_USAGE : null,
    instructions: req.body['instructions'] ?? null,
    error: null,
    incomplete_details: null,
  });
  if (req.body['stream'] !== true) return sendJson(res, 200, response('completed', true));
  const events: { event: string; data: Record<string, unknown> }[] = [];
  let seq = 0;
  const add = (type: string, data: Record<string, unknown>) =>
    events.push({ event: type, data: { type, sequence_number: seq++, ...data } });
  add('response.created', { response: response('in_progress', false) });
  if (!m.tool) {
    for (const piece of chunks(text))
      add('response.output_text.delta', { item_id: 'msg_1', output_index: 1, content_index: 0, delta: piece });
    add('response.output_text.done', { item_id: 'msg_1', output_index: 1, content_index: 0, text });
  }
  add('response.completed', { response: response('completed', true) });
  await sendSse(res, events);
}

export function openaiEmbeddings(req: StubRequest, res: ServerResponse): void {
  const m = markers(req.prompt);
  if (m.status !== undefined) return openaiError(res, m.status);
  const input = req.body['input'];
  const n = Array.isArray(input) && typeof input[0] !== 'number' ? input.length : 1;
  const dims = typeof req.body['dimensions'] === 'number' ? req.body['dimensions'] : 4;
  const vector = Float32Array.from({ length: dims }, (_, i) => i / 8);
  // The SDK asks for base64 unless the caller chose a format, and decodes it.
  const embedding =
    req.body['encoding_format'] === 'base64' ? Buffer.from(vector.buffer).toString('base64') : Array.from(vector);
  sendJson(res, 200, {
    object: 'list',
    model: modelOf(req, 'text-embedding-stub'),
    data: Array.from({ length: n }, (_, index) => ({ object: 'embedding', index, embedding })),
    usage: { prompt_tokens: 8, total_tokens: 8 },
  });
}
