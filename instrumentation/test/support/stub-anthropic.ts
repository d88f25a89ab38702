import type { ServerResponse } from 'node:http';
import { chunks, markers, modelOf, sendJson, sendSse, type AnswerText, type StubRequest } from './stub-types.ts';

/**
 * Anthropic's Messages API: POST /v1/messages, plain or SSE (message_start, content_block_start /
 * _delta / _stop, message_delta, message_stop). input_tokens excludes the cache reads and writes,
 * which come as cache_read_input_tokens / cache_creation_input_tokens, as Anthropic reports them.
 */

export const ANTHROPIC_USAGE = {
  input_tokens: 30,
  cache_creation_input_tokens: 8,
  cache_read_input_tokens: 12,
  output_tokens: 17,
  output_tokens_details: { thinking_tokens: 4 },
};

function anthropicError(res: ServerResponse, status: number): void {
  const type = status === 429 ? 'rate_limit_error' : 'api_error';
  sendJson(res, status, { type: 'error', error: { type, message: `stub ${status}` } });
}

export async function anthropicMessages(req: StubRequest, res: ServerResponse, answer: AnswerText): Promise<void> {
  const m = markers(req.prompt);
  if (m.status !== undefined) return anthropicError(res, m.status);
  const model = modelOf(req, 'claude-stub');
  const text = answer(req);
  const id = 'msg_stub_1';
  const toolUse = { type: 'tool_use', id: 'toolu_stub_1', name: 'get_weather', input: { city: 'Paris' } };
  const content = m.tool ? [{ type: 'text', text: 'Let me check.' }, toolUse] : [{ type: 'text', text }];
  const stop = m.tool ? 'tool_use' : 'end_turn';
  if (req.body['stream'] !== true) {
    return sendJson(res, 200, {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content,
      stop_reason: stop,
      stop_sequence: null,
      usage: ANTHROPIC_USAGE,
    });
  }
  const events: { event: string; data: Record<string, unknown> }[] = [];
  const add = (type: string, data: Record<string, unknown>) => events.push({ event: type, data: { type, ...data } });
  add('message_start', {
    message: {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...ANTHROPIC_USAGE, output_tokens: 1 },
    },
  });
  add('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
  for (const piece of chunks(m.tool ? 'Let me check.' : text)) {
    add('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } });
  }
  add('content_block_stop', { index: 0 });
  if (m.tool) {
    add('content_block_start', { index: 1, content_block: { ...toolUse, input: {} } });
    for (const piece of ['{"city"', ': "Paris"}']) {
      add('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: piece } });
    }
    add('content_block_stop', { index: 1 });
  }
  add('message_delta', {
    delta: { stop_reason: stop, stop_sequence: null },
    usage: { output_tokens: ANTHROPIC_USAGE.output_tokens },
  });
  add('message_stop', {});
  await sendSse(res, events);
}
