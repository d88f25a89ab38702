import type { Attributes } from '@opentelemetry/api';
import { setNumber, setStrings } from '../core/attributes.js';
import {
  asJson,
  blobPart,
  message,
  modalityOf,
  reasoningPart,
  textPart,
  toolCallPart,
  toolResponsePart,
  type Json,
  type Message,
  type Part,
  type ToolDefinition,
} from '../core/messages.js';
import type { ModelResult, Usage } from '../core/model-call.js';
import { arr, count, field, isObj, num, str, type Obj } from '../core/read.js';
import {
  ATTR_GEN_AI_OUTPUT_TYPE,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_STOP_SEQUENCES,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_K,
  ATTR_GEN_AI_REQUEST_TOP_P,
} from '../semconv.js';

export function messagesRequestAttributes(body: Obj): Attributes {
  const a: Attributes = {};
  setNumber(a, ATTR_GEN_AI_REQUEST_TEMPERATURE, body['temperature']);
  setNumber(a, ATTR_GEN_AI_REQUEST_TOP_P, body['top_p']);
  setNumber(a, ATTR_GEN_AI_REQUEST_TOP_K, body['top_k']);
  setNumber(a, ATTR_GEN_AI_REQUEST_MAX_TOKENS, body['max_tokens']);
  setStrings(a, ATTR_GEN_AI_REQUEST_STOP_SEQUENCES, body['stop_sequences']);
  const format = field(body['output_config'], 'format') ?? body['output_format'];
  if (isObj(format)) a[ATTR_GEN_AI_OUTPUT_TYPE] = 'json';
  return a;
}

function sourcePart(block: Obj, fallbackModality: string): Part {
  const source = block['source'];
  const type = str(field(source, 'type'));
  const mime = str(field(source, 'media_type'));
  const modality = block['type'] === 'image' ? 'image' : mime ? modalityOf(mime) : fallbackModality;
  if (type === 'base64') return blobPart(modality, str(field(source, 'data')) ?? '', mime);
  if (type === 'url') return { type: 'uri', modality, uri: str(field(source, 'url')) ?? '' };
  if (type === 'file') return { type: 'file', modality, file_id: str(field(source, 'file_id')) ?? '' };
  if (type === 'text') return textPart(str(field(source, 'data')) ?? '');
  return { type: block['type'] as string };
}

function toolResultContent(content: unknown): Json {
  if (typeof content === 'string') return content;
  const blocks = arr(content);
  if (blocks.every((b) => field(b, 'type') === 'text')) return blocks.map((b) => str(field(b, 'text')) ?? '').join('');
  return asJson(content);
}

/** Content blocks (request or response) as parts. */
export function blockParts(content: unknown): Part[] {
  if (typeof content === 'string') return [textPart(content)];
  const parts: Part[] = [];
  for (const block of arr(content)) {
    if (!isObj(block)) continue;
    const type = str(block['type']) ?? 'unknown';
    if (type === 'text') parts.push(textPart(str(block['text']) ?? ''));
    else if (type === 'thinking') parts.push(reasoningPart(str(block['thinking']) ?? ''));
    else if (type === 'tool_use' || type === 'server_tool_use') {
      parts.push(toolCallPart(str(block['id']), str(block['name']) ?? '', asJson(block['input'])));
    } else if (type === 'tool_result') {
      parts.push(toolResponsePart(str(block['tool_use_id']), toolResultContent(block['content'])));
    } else if (type === 'image' || type === 'document') parts.push(sourcePart(block, 'document'));
    else parts.push({ type });
  }
  return parts;
}

/** Messages as semconv messages; a user turn made only of tool results is the tool's message. */
export function anthropicInputMessages(messages: unknown): Message[] {
  const out: Message[] = [];
  for (const m of arr(messages)) {
    if (!isObj(m)) continue;
    const parts = blockParts(m['content']);
    const allResults = parts.length > 0 && parts.every((p) => p.type === 'tool_call_response');
    out.push(message(allResults ? 'tool' : (str(m['role']) ?? 'user'), parts));
  }
  return out;
}

/** `system`: a string or text blocks. */
export function anthropicSystem(system: unknown): Part[] | undefined {
  if (system === undefined || system === null || system === '') return undefined;
  const parts = blockParts(system);
  return parts.length > 0 ? parts : undefined;
}

export function anthropicTools(tools: unknown): ToolDefinition[] | undefined {
  const out: ToolDefinition[] = [];
  for (const t of arr(tools)) {
    const type = str(field(t, 'type')) ?? 'function';
    const def: ToolDefinition = { type: type === 'custom' ? 'function' : type, name: str(field(t, 'name')) ?? type };
    const description = str(field(t, 'description'));
    if (description !== undefined) def['description'] = description;
    const schema = field(t, 'input_schema');
    if (schema !== undefined) def['parameters'] = asJson(schema);
    out.push(def);
  }
  return out.length > 0 ? out : undefined;
}

/** Anthropic counts cached input apart from input_tokens: the conventions' input includes it. */
export function anthropicUsage(usage: unknown): Usage | undefined {
  if (!isObj(usage)) return undefined;
  const input = count(usage['input_tokens']);
  const cacheRead = count(usage['cache_read_input_tokens']);
  const cacheCreation = count(usage['cache_creation_input_tokens']);
  return {
    input: input === undefined ? undefined : input + (cacheRead ?? 0) + (cacheCreation ?? 0),
    output: count(usage['output_tokens']),
    cacheRead,
    cacheCreation,
    reasoning: count(field(usage['output_tokens_details'], 'thinking_tokens')),
  };
}

export function messageResult(msg: unknown, capture: boolean): ModelResult {
  const stop = str(field(msg, 'stop_reason'));
  const result: ModelResult = {
    responseId: str(field(msg, 'id')),
    responseModel: str(field(msg, 'model')),
    finishReasons: stop === undefined ? undefined : [stop],
    usage: anthropicUsage(field(msg, 'usage')),
  };
  if (capture)
    result.output = [{ role: 'assistant', parts: blockParts(field(msg, 'content')), finish_reason: stop ?? '' }];
  return result;
}

interface BlockState {
  type: string;
  id: string | undefined;
  name: string;
  text: string;
}

/**
 * Reads a Messages stream: message_start (id, model, input usage), content blocks and their deltas
 * (when content is captured), message_delta (stop reason, cumulative output usage).
 */
export class MessagesStreamReader {
  private id: string | undefined;
  private model: string | undefined;
  private stop: string | undefined;
  private usage: Obj = {};
  private readonly blocks = new Map<number, BlockState>();

  public constructor(private readonly capture: boolean) {}

  public chunk(event: unknown): void {
    const type = str(field(event, 'type'));
    if (type === 'message_start') {
      const msg = field(event, 'message');
      this.id = str(field(msg, 'id'));
      this.model = str(field(msg, 'model'));
      this.mergeUsage(field(msg, 'usage'));
    } else if (type === 'message_delta') {
      this.stop = str(field(field(event, 'delta'), 'stop_reason')) ?? this.stop;
      this.mergeUsage(field(event, 'usage'));
    } else if (this.capture && type === 'content_block_start') {
      const block = field(event, 'content_block');
      this.blocks.set(num(field(event, 'index')) ?? this.blocks.size, {
        type: str(field(block, 'type')) ?? 'text',
        id: str(field(block, 'id')),
        name: str(field(block, 'name')) ?? '',
        text: str(field(block, 'text')) ?? str(field(block, 'thinking')) ?? '',
      });
    } else if (this.capture && type === 'content_block_delta') {
      const block = this.blocks.get(num(field(event, 'index')) ?? 0);
      const delta = field(event, 'delta');
      if (block !== undefined) {
        block.text +=
          str(field(delta, 'text')) ?? str(field(delta, 'partial_json')) ?? str(field(delta, 'thinking')) ?? '';
      }
    }
  }

  private mergeUsage(usage: unknown): void {
    if (!isObj(usage)) return;
    for (const [key, value] of Object.entries(usage))
      if (value !== null && value !== undefined) this.usage[key] = value;
  }

  public result(): ModelResult {
    const result: ModelResult = {
      responseId: this.id,
      responseModel: this.model,
      finishReasons: this.stop === undefined ? undefined : [this.stop],
      usage: anthropicUsage(this.usage),
    };
    if (this.capture) {
      const parts: Part[] = [];
      for (const [, b] of [...this.blocks.entries()].sort((x, y) => x[0] - y[0])) {
        if (b.type === 'text') parts.push(textPart(b.text));
        else if (b.type === 'thinking') parts.push(reasoningPart(b.text));
        else if (b.type === 'tool_use' || b.type === 'server_tool_use')
          parts.push(toolCallPart(b.id, b.name, parseJson(b.text)));
        else parts.push({ type: b.type });
      }
      result.output = [{ role: 'assistant', parts, finish_reason: this.stop ?? '' }];
    }
    return result;
  }
}

/** A streamed tool input (partial JSON, complete at the end), as an object when it parses. */
function parseJson(text: string): Json {
  if (text === '') return {};
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}
