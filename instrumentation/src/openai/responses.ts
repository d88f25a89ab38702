import type { Attributes } from '@opentelemetry/api';
import { setNumber } from '../core/attributes.js';
import {
  asJson,
  mediaPart,
  message,
  reasoningPart,
  textPart,
  toolCallPart,
  toolResponsePart,
  type Message,
  type Part,
  type ToolDefinition,
} from '../core/messages.js';
import type { ModelResult } from '../core/model-call.js';
import { arr, field, isObj, str, type Obj } from '../core/read.js';
import {
  ATTR_GEN_AI_OUTPUT_TYPE,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_P,
} from '../semconv.js';
import { openaiUsage } from './usage.js';

export function responsesRequestAttributes(body: Obj): Attributes {
  const a: Attributes = {};
  setNumber(a, ATTR_GEN_AI_REQUEST_TEMPERATURE, body['temperature']);
  setNumber(a, ATTR_GEN_AI_REQUEST_TOP_P, body['top_p']);
  setNumber(a, ATTR_GEN_AI_REQUEST_MAX_TOKENS, body['max_output_tokens']);
  const format = str(field(field(body['text'], 'format'), 'type'));
  if (format === 'json_object' || format === 'json_schema') a[ATTR_GEN_AI_OUTPUT_TYPE] = 'json';
  else if (format === 'text') a[ATTR_GEN_AI_OUTPUT_TYPE] = 'text';
  return a;
}

/** `conversation` (an id or `{ id }`), when the request names one. */
export function responsesConversation(body: Obj): string | undefined {
  const c = body['conversation'];
  return str(c) ?? str(field(c, 'id'));
}

function inputContentParts(content: unknown): Part[] {
  if (typeof content === 'string') return [textPart(content)];
  const parts: Part[] = [];
  for (const p of arr(content)) {
    const type = str(field(p, 'type')) ?? 'unknown';
    if (type === 'input_text' || type === 'output_text') parts.push(textPart(str(field(p, 'text')) ?? ''));
    else if (type === 'refusal') parts.push(textPart(str(field(p, 'refusal')) ?? ''));
    else if (type === 'input_image') {
      const url = str(field(p, 'image_url'));
      const fileId = str(field(p, 'file_id'));
      if (url !== undefined) parts.push(mediaPart('image', url));
      else if (fileId !== undefined) parts.push({ type: 'file', modality: 'image', file_id: fileId });
      else parts.push({ type });
    } else if (type === 'input_file') {
      const fileId = str(field(p, 'file_id'));
      if (fileId !== undefined) parts.push({ type: 'file', modality: 'document', file_id: fileId });
      else parts.push(mediaPart('document', str(field(p, 'file_url')) ?? str(field(p, 'file_data')) ?? ''));
    } else parts.push({ type });
  }
  return parts;
}

/** `input` (a string or a list of items) as semconv messages. */
export function responsesInputMessages(input: unknown): Message[] {
  if (typeof input === 'string') return [message('user', [textPart(input)])];
  const out: Message[] = [];
  for (const item of arr(input)) {
    if (!isObj(item)) continue;
    const type = str(item['type']);
    if (type === 'function_call' || type === 'custom_tool_call') {
      out.push(
        message('assistant', [
          toolCallPart(str(item['call_id']), str(item['name']) ?? '', asJson(item['arguments'] ?? item['input'])),
        ]),
      );
    } else if (type === 'function_call_output' || type === 'custom_tool_call_output') {
      out.push(message('tool', [toolResponsePart(str(item['call_id']), asJson(item['output']))]));
    } else if (type === 'reasoning') {
      out.push(message('assistant', reasoningParts(item)));
    } else if (type === undefined || type === 'message') {
      out.push(message(str(item['role']) ?? 'user', inputContentParts(item['content'])));
    } else {
      out.push(message('user', [{ type }]));
    }
  }
  return out;
}

function reasoningParts(item: Obj): Part[] {
  return arr(item['summary']).map((s) => reasoningPart(str(field(s, 'text')) ?? ''));
}

export function responsesTools(tools: unknown): ToolDefinition[] | undefined {
  const out: ToolDefinition[] = [];
  for (const t of arr(tools)) {
    const type = str(field(t, 'type')) ?? 'function';
    const def: ToolDefinition = { type, name: str(field(t, 'name')) ?? type };
    const description = str(field(t, 'description'));
    if (description !== undefined) def['description'] = description;
    const parameters = field(t, 'parameters');
    if (parameters !== undefined) def['parameters'] = asJson(parameters);
    out.push(def);
  }
  return out.length > 0 ? out : undefined;
}

/** A Response object (the non-streamed result, or a stream's response.completed/incomplete/failed). */
export function responsesResult(response: unknown, capture: boolean): ModelResult {
  const status = str(field(response, 'status'));
  const output = arr(field(response, 'output'));
  const hasToolCall = output.some((o) => {
    const t = str(field(o, 'type'));
    return t === 'function_call' || t === 'custom_tool_call';
  });
  let finish: string | undefined;
  if (status === 'completed') finish = hasToolCall ? 'tool_call' : 'stop';
  else if (status === 'incomplete')
    finish = str(field(field(response, 'incomplete_details'), 'reason')) ?? 'incomplete';
  else if (status === 'failed') finish = 'error';
  const result: ModelResult = {
    responseId: str(field(response, 'id')),
    responseModel: str(field(response, 'model')),
    finishReasons: finish === undefined ? undefined : [finish],
    usage: openaiUsage(field(response, 'usage')),
    conversationId: str(field(field(response, 'conversation'), 'id')),
  };
  if (status === 'failed') {
    const error = field(response, 'error');
    result.error = {
      type: str(field(error, 'code')) ?? 'response_failed',
      message: str(field(error, 'message')) ?? '',
    };
  }
  if (capture) {
    const parts: Part[] = [];
    for (const item of output) {
      if (!isObj(item)) continue;
      const type = str(item['type']);
      if (type === 'message') parts.push(...inputContentParts(item['content']));
      else if (type === 'function_call' || type === 'custom_tool_call') {
        parts.push(
          toolCallPart(str(item['call_id']), str(item['name']) ?? '', asJson(item['arguments'] ?? item['input'])),
        );
      } else if (type === 'reasoning') parts.push(...reasoningParts(item));
      else parts.push({ type: type ?? 'unknown' });
    }
    result.output = [{ role: 'assistant', parts, finish_reason: finish ?? '' }];
  }
  return result;
}

const FINAL_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed']);

/** Reads a Responses stream: the first response event for id and model, the final one for the rest. */
export class ResponsesStreamReader {
  private final: ModelResult | undefined;
  private id: string | undefined;
  private model: string | undefined;

  public constructor(private readonly capture: boolean) {}

  public chunk(event: unknown): void {
    const type = str(field(event, 'type'));
    if (type === undefined) return;
    const response = field(event, 'response');
    if (FINAL_EVENTS.has(type)) this.final = responsesResult(response, this.capture);
    else if (type === 'response.created' || type === 'response.in_progress') {
      this.id ??= str(field(response, 'id'));
      this.model ??= str(field(response, 'model'));
    }
  }

  public result(): ModelResult {
    return this.final ?? { responseId: this.id, responseModel: this.model };
  }
}
