import type { Attributes } from '@opentelemetry/api';
import { setNumber, setStrings } from '../core/attributes.js';
import {
  asJson,
  blobPart,
  mediaPart,
  message,
  textPart,
  toolCallPart,
  toolResponsePart,
  type Message,
  type Part,
  type ToolDefinition,
} from '../core/messages.js';
import type { ModelResult } from '../core/model-call.js';
import { arr, field, isObj, num, str, type Obj } from '../core/read.js';
import {
  ATTR_GEN_AI_OUTPUT_TYPE,
  ATTR_GEN_AI_REQUEST_CHOICE_COUNT,
  ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY,
  ATTR_GEN_AI_REQUEST_SEED,
  ATTR_GEN_AI_REQUEST_STOP_SEQUENCES,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_P,
} from '../semconv.js';
import { openaiUsage } from './usage.js';

/** Chat Completions request parameters as span attributes. */
export function chatRequestAttributes(body: Obj): Attributes {
  const a: Attributes = {};
  setNumber(a, ATTR_GEN_AI_REQUEST_TEMPERATURE, body['temperature']);
  setNumber(a, ATTR_GEN_AI_REQUEST_TOP_P, body['top_p']);
  setNumber(a, ATTR_GEN_AI_REQUEST_MAX_TOKENS, body['max_completion_tokens'] ?? body['max_tokens']);
  setNumber(a, ATTR_GEN_AI_REQUEST_SEED, body['seed']);
  setNumber(a, ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY, body['frequency_penalty']);
  setNumber(a, ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY, body['presence_penalty']);
  setStrings(a, ATTR_GEN_AI_REQUEST_STOP_SEQUENCES, body['stop']);
  const n = num(body['n']);
  if (n !== undefined && n !== 1) a[ATTR_GEN_AI_REQUEST_CHOICE_COUNT] = n;
  const format = str(field(body['response_format'], 'type'));
  if (format === 'json_object' || format === 'json_schema') a[ATTR_GEN_AI_OUTPUT_TYPE] = 'json';
  else if (format === 'text') a[ATTR_GEN_AI_OUTPUT_TYPE] = 'text';
  return a;
}

function contentParts(content: unknown): Part[] {
  if (typeof content === 'string') return [textPart(content)];
  const parts: Part[] = [];
  for (const p of arr(content)) {
    const type = str(field(p, 'type'));
    if (type === 'text') parts.push(textPart(str(field(p, 'text')) ?? ''));
    else if (type === 'refusal') parts.push(textPart(str(field(p, 'refusal')) ?? ''));
    else if (type === 'image_url') parts.push(mediaPart('image', str(field(field(p, 'image_url'), 'url')) ?? ''));
    else if (type === 'input_audio') {
      const audio = field(p, 'input_audio');
      const format = str(field(audio, 'format'));
      parts.push(blobPart('audio', str(field(audio, 'data')) ?? '', format ? `audio/${format}` : undefined));
    } else if (type === 'file') {
      const file = field(p, 'file');
      const id = str(field(file, 'file_id'));
      if (id !== undefined) parts.push({ type: 'file', modality: 'document', file_id: id });
      else parts.push(mediaPart('document', str(field(file, 'file_data')) ?? ''));
    } else parts.push({ type: type ?? 'unknown' });
  }
  return parts;
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  return arr(content)
    .map((p) => str(field(p, 'text')) ?? '')
    .join('');
}

function toolCallParts(toolCalls: unknown): Part[] {
  return arr(toolCalls).map((c) => {
    const fn = field(c, 'function') ?? field(c, 'custom');
    return toolCallPart(
      str(field(c, 'id')),
      str(field(fn, 'name')) ?? '',
      asJson(field(fn, 'arguments') ?? field(fn, 'input')),
    );
  });
}

/** Chat messages as semconv messages; system and developer messages stay in the list. */
export function chatInputMessages(messages: unknown): Message[] {
  const out: Message[] = [];
  for (const m of arr(messages)) {
    if (!isObj(m)) continue;
    const role = str(m['role']) ?? 'user';
    let msg: Message;
    if (role === 'tool' || role === 'function') {
      msg = message('tool', [toolResponsePart(str(m['tool_call_id']) ?? str(m['name']), contentText(m['content']))]);
    } else {
      const parts = m['content'] === null || m['content'] === undefined ? [] : contentParts(m['content']);
      if (role === 'assistant') {
        parts.push(...toolCallParts(m['tool_calls']));
        const legacy = m['function_call'];
        if (isObj(legacy)) {
          parts.push(toolCallPart(undefined, str(legacy['name']) ?? '', asJson(legacy['arguments'])));
        }
      }
      msg = message(role, parts);
    }
    const name = str(m['name']);
    if (name !== undefined && role !== 'function') msg['name'] = name;
    out.push(msg);
  }
  return out;
}

export function chatTools(tools: unknown, functions: unknown): ToolDefinition[] | undefined {
  const out: ToolDefinition[] = [];
  for (const t of arr(tools)) {
    const type = str(field(t, 'type')) ?? 'function';
    const fn = field(t, type) ?? field(t, 'function');
    const def: ToolDefinition = { type, name: str(field(fn, 'name')) ?? type };
    const description = str(field(fn, 'description'));
    if (description !== undefined) def['description'] = description;
    const parameters = field(fn, 'parameters');
    if (parameters !== undefined) def['parameters'] = asJson(parameters);
    out.push(def);
  }
  for (const fn of arr(functions)) {
    out.push({ type: 'function', name: str(field(fn, 'name')) ?? '', parameters: asJson(field(fn, 'parameters')) });
  }
  return out.length > 0 ? out : undefined;
}

/** A ChatCompletion (non-streamed) as a result. */
export function chatResult(completion: unknown, capture: boolean): ModelResult {
  const choices = arr(field(completion, 'choices'));
  const finishReasons: string[] = [];
  const output: Message[] = [];
  for (const c of choices) {
    const reason = str(field(c, 'finish_reason'));
    if (reason !== undefined) finishReasons.push(reason);
    if (!capture) continue;
    const m = field(c, 'message');
    const parts: Part[] = [];
    const content = str(field(m, 'content'));
    if (content !== undefined) parts.push(textPart(content));
    const refusal = str(field(m, 'refusal'));
    if (refusal !== undefined) parts.push(textPart(refusal));
    parts.push(...toolCallParts(field(m, 'tool_calls')));
    output.push({ role: 'assistant', parts, finish_reason: reason ?? '' });
  }
  return {
    responseId: str(field(completion, 'id')),
    responseModel: str(field(completion, 'model')),
    finishReasons,
    usage: openaiUsage(field(completion, 'usage')),
    output: capture ? output : undefined,
  };
}

interface ToolCallState {
  id: string | undefined;
  name: string;
  args: string;
}

interface ChoiceState {
  text: string;
  finish: string | undefined;
  tools: Map<number, ToolCallState>;
}

/**
 * Reads a Chat Completions stream: id, model and finish reasons from its chunks, usage from the
 * final chunk whose `choices` is empty (present when include_usage was requested), and — when
 * content is captured — the text and tool calls, accumulated per choice.
 */
export class ChatStreamReader {
  private id: string | undefined;
  private model: string | undefined;
  private usage: unknown;
  private readonly choices = new Map<number, ChoiceState>();

  public constructor(
    private readonly capture: boolean,
    /** We asked for the usage chunk: hide it and the `usage: null` it adds to every chunk. */
    private readonly injectedUsage: boolean,
  ) {}

  public chunk(chunk: unknown): void {
    if (!isObj(chunk)) return;
    this.id ??= str(chunk['id']);
    this.model ??= str(chunk['model']);
    const usage = chunk['usage'];
    if (isObj(usage)) this.usage = usage;
    else if (usage === null && this.injectedUsage) delete chunk['usage'];
    for (const c of arr(chunk['choices'])) {
      const index = num(field(c, 'index')) ?? 0;
      let state = this.choices.get(index);
      if (state === undefined) {
        state = { text: '', finish: undefined, tools: new Map() };
        this.choices.set(index, state);
      }
      const finish = str(field(c, 'finish_reason'));
      if (finish !== undefined) state.finish = finish;
      if (!this.capture) continue;
      const delta = field(c, 'delta');
      const text = str(field(delta, 'content'));
      if (text !== undefined) state.text += text;
      for (const t of arr(field(delta, 'tool_calls'))) {
        const i = num(field(t, 'index')) ?? 0;
        let call = state.tools.get(i);
        if (call === undefined) {
          call = { id: undefined, name: '', args: '' };
          state.tools.set(i, call);
        }
        call.id ??= str(field(t, 'id'));
        const fn = field(t, 'function');
        call.name += str(field(fn, 'name')) ?? '';
        call.args += str(field(fn, 'arguments')) ?? '';
      }
    }
  }

  public hide(chunk: unknown): boolean {
    return this.injectedUsage && isObj(chunk) && isObj(chunk['usage']) && arr(chunk['choices']).length === 0;
  }

  public result(): ModelResult {
    const indexes = [...this.choices.keys()].sort((a, b) => a - b);
    const finishReasons: string[] = [];
    const output: Message[] = [];
    for (const i of indexes) {
      const c = this.choices.get(i)!;
      if (c.finish !== undefined) finishReasons.push(c.finish);
      if (!this.capture) continue;
      const parts: Part[] = c.text !== '' ? [textPart(c.text)] : [];
      for (const t of [...c.tools.entries()].sort((a, b) => a[0] - b[0])) {
        parts.push(toolCallPart(t[1].id, t[1].name, t[1].args));
      }
      output.push({ role: 'assistant', parts, finish_reason: c.finish ?? '' });
    }
    return {
      responseId: this.id,
      responseModel: this.model,
      finishReasons,
      usage: openaiUsage(this.usage),
      output: this.capture ? output : undefined,
    };
  }
}
