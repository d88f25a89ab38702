import type { Attributes } from '@opentelemetry/api';
import { setNumber, setStrings } from '../core/attributes.js';
import {
  asJson,
  blobPart,
  modalityOf,
  reasoningPart,
  textPart,
  toolCallPart,
  toolResponsePart,
  type Message,
  type Part,
  type ToolDefinition,
} from '../core/messages.js';
import type { ModelResult, Usage } from '../core/model-call.js';
import { arr, count, field, isObj, num, str, type Obj } from '../core/read.js';
import {
  ATTR_GEN_AI_OUTPUT_TYPE,
  ATTR_GEN_AI_REQUEST_CHOICE_COUNT,
  ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY,
  ATTR_GEN_AI_REQUEST_SEED,
  ATTR_GEN_AI_REQUEST_STOP_SEQUENCES,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_K,
  ATTR_GEN_AI_REQUEST_TOP_P,
} from '../semconv.js';

/**
 * The Gemini REST shapes, shared by @google/generative-ai and @google/genai: contents and parts,
 * generation config, usageMetadata and candidates.
 */

/** generationConfig (generative-ai) or config (genai) parameters as span attributes. */
export function generationAttributes(config: unknown): Attributes {
  const a: Attributes = {};
  if (!isObj(config)) return a;
  setNumber(a, ATTR_GEN_AI_REQUEST_TEMPERATURE, config['temperature']);
  setNumber(a, ATTR_GEN_AI_REQUEST_TOP_P, config['topP']);
  setNumber(a, ATTR_GEN_AI_REQUEST_TOP_K, config['topK']);
  setNumber(a, ATTR_GEN_AI_REQUEST_MAX_TOKENS, config['maxOutputTokens']);
  setNumber(a, ATTR_GEN_AI_REQUEST_SEED, config['seed']);
  setNumber(a, ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY, config['frequencyPenalty']);
  setNumber(a, ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY, config['presencePenalty']);
  setStrings(a, ATTR_GEN_AI_REQUEST_STOP_SEQUENCES, config['stopSequences']);
  const candidates = num(config['candidateCount']);
  if (candidates !== undefined && candidates !== 1) a[ATTR_GEN_AI_REQUEST_CHOICE_COUNT] = candidates;
  const mime = str(config['responseMimeType']);
  if (
    mime === 'application/json' ||
    config['responseSchema'] !== undefined ||
    config['responseJsonSchema'] !== undefined
  ) {
    a[ATTR_GEN_AI_OUTPUT_TYPE] = 'json';
  } else if (mime === 'text/plain') a[ATTR_GEN_AI_OUTPUT_TYPE] = 'text';
  return a;
}

export function geminiPart(p: unknown): Part {
  if (typeof p === 'string') return textPart(p);
  if (!isObj(p)) return { type: 'unknown' };
  const text = str(p['text']);
  if (text !== undefined) return p['thought'] === true ? reasoningPart(text) : textPart(text);
  const inline = p['inlineData'];
  if (isObj(inline)) {
    const mime = str(inline['mimeType']);
    return blobPart(modalityOf(mime), str(inline['data']) ?? '', mime);
  }
  const file = p['fileData'];
  if (isObj(file)) {
    const mime = str(file['mimeType']);
    const part: Part = { type: 'uri', modality: modalityOf(mime), uri: str(file['fileUri']) ?? '' };
    if (mime !== undefined) part['mime_type'] = mime;
    return part;
  }
  const call = p['functionCall'];
  if (isObj(call)) return toolCallPart(str(call['id']), str(call['name']) ?? '', asJson(call['args']));
  const response = p['functionResponse'];
  if (isObj(response))
    return toolResponsePart(str(response['id']) ?? str(response['name']), asJson(response['response']));
  const kind = Object.keys(p).find((k) => k !== 'thought' && k !== 'thoughtSignature');
  return { type: kind ?? 'unknown' };
}

function role(raw: string | undefined, parts: Part[]): string {
  if (parts.length > 0 && parts.every((p) => p.type === 'tool_call_response')) return 'tool';
  if (raw === 'model') return 'assistant';
  if (raw === 'function') return 'tool';
  return raw ?? 'user';
}

function isContent(v: unknown): v is Obj {
  return isObj(v) && Array.isArray(v['parts']);
}

/**
 * Contents as messages: a string, a part, a list of parts (one user turn), a Content or a list of
 * Contents. Gemini's `model` role is the conventions' `assistant`; a turn of function responses is
 * the tool's.
 */
export function geminiMessages(contents: unknown): Message[] {
  if (contents === undefined || contents === null) return [];
  if (typeof contents === 'string' || (isObj(contents) && !Array.isArray(contents) && !isContent(contents))) {
    const parts = [geminiPart(contents)];
    return [{ role: role('user', parts), parts }];
  }
  if (isContent(contents)) return [contentMessage(contents)];
  const items = arr(contents);
  if (items.length > 0 && items.every(isContent)) return items.map((c) => contentMessage(c));
  const parts = items.map(geminiPart);
  return parts.length > 0 ? [{ role: role('user', parts), parts }] : [];
}

function contentMessage(content: Obj): Message {
  const parts = arr(content['parts']).map(geminiPart);
  return { role: role(str(content['role']), parts), parts };
}

/** systemInstruction: a string, a part, parts or a Content, as parts. */
export function geminiSystem(system: unknown): Part[] | undefined {
  if (system === undefined || system === null || system === '') return undefined;
  let parts: Part[];
  if (typeof system === 'string') parts = [textPart(system)];
  else if (isContent(system)) parts = arr(system['parts']).map(geminiPart);
  else if (Array.isArray(system)) parts = system.map(geminiPart);
  else parts = [geminiPart(system)];
  return parts.length > 0 ? parts : undefined;
}

export function geminiTools(tools: unknown): ToolDefinition[] | undefined {
  const out: ToolDefinition[] = [];
  for (const tool of arr(tools)) {
    if (!isObj(tool)) continue;
    const declarations = tool['functionDeclarations'];
    if (Array.isArray(declarations)) {
      for (const d of declarations) {
        const def: ToolDefinition = { type: 'function', name: str(field(d, 'name')) ?? '' };
        const description = str(field(d, 'description'));
        if (description !== undefined) def['description'] = description;
        const parameters = field(d, 'parameters') ?? field(d, 'parametersJsonSchema');
        if (parameters !== undefined) def['parameters'] = asJson(parameters);
        out.push(def);
      }
    } else {
      for (const key of Object.keys(tool)) out.push({ type: key, name: key });
    }
  }
  return out.length > 0 ? out : undefined;
}

/**
 * usageMetadata with the conventions' meaning: input = prompt (cached content included) + tool-use
 * prompt; output = candidates + thoughts (Gemini counts thoughts apart from candidates).
 */
export function geminiUsage(usage: unknown): Usage | undefined {
  if (!isObj(usage)) return undefined;
  const prompt = count(usage['promptTokenCount']);
  const toolUse = count(usage['toolUsePromptTokenCount']);
  const candidates = count(usage['candidatesTokenCount']);
  const thoughts = count(usage['thoughtsTokenCount']);
  return {
    input: prompt === undefined && toolUse === undefined ? undefined : (prompt ?? 0) + (toolUse ?? 0),
    output: candidates === undefined && thoughts === undefined ? undefined : (candidates ?? 0) + (thoughts ?? 0),
    cacheRead: count(usage['cachedContentTokenCount']),
    reasoning: thoughts,
  };
}

export function geminiResult(response: unknown, capture: boolean): ModelResult {
  const candidates = arr(field(response, 'candidates'));
  const finishReasons: string[] = [];
  const output: Message[] = [];
  for (const c of candidates) {
    const reason = str(field(c, 'finishReason'));
    if (reason !== undefined) finishReasons.push(reason);
    if (capture) {
      output.push({
        role: 'assistant',
        parts: arr(field(field(c, 'content'), 'parts')).map(geminiPart),
        finish_reason: reason ?? '',
      });
    }
  }
  return {
    responseId: str(field(response, 'responseId')),
    responseModel: str(field(response, 'modelVersion')),
    finishReasons,
    usage: geminiUsage(field(response, 'usageMetadata')),
    output: capture ? output : undefined,
  };
}

/**
 * Reads a Gemini stream. usageMetadata holds running totals, repeated on many chunks: the last one
 * wins (summing them counts the prompt once per chunk). Texts are joined per candidate.
 */
export class GeminiStreamReader {
  private id: string | undefined;
  private model: string | undefined;
  private usage: unknown;
  private readonly candidates = new Map<number, { parts: Part[]; finish: string | undefined }>();

  public constructor(private readonly capture: boolean) {}

  public chunk(response: unknown): void {
    this.id ??= str(field(response, 'responseId'));
    this.model ??= str(field(response, 'modelVersion'));
    const usage = field(response, 'usageMetadata');
    if (isObj(usage)) this.usage = usage;
    for (const c of arr(field(response, 'candidates'))) {
      const index = num(field(c, 'index')) ?? 0;
      let state = this.candidates.get(index);
      if (state === undefined) {
        state = { parts: [], finish: undefined };
        this.candidates.set(index, state);
      }
      state.finish = str(field(c, 'finishReason')) ?? state.finish;
      if (!this.capture) continue;
      for (const raw of arr(field(field(c, 'content'), 'parts'))) {
        const part = geminiPart(raw);
        const last = state.parts[state.parts.length - 1];
        const previous = last?.['content'];
        const next = part['content'];
        if (last?.type === part.type && typeof previous === 'string' && typeof next === 'string') {
          last['content'] = previous + next;
        } else state.parts.push(part);
      }
    }
  }

  public result(): ModelResult {
    const finishReasons: string[] = [];
    const output: Message[] = [];
    for (const [, c] of [...this.candidates.entries()].sort((a, b) => a[0] - b[0])) {
      if (c.finish !== undefined) finishReasons.push(c.finish);
      if (this.capture) output.push({ role: 'assistant', parts: c.parts, finish_reason: c.finish ?? '' });
    }
    return {
      responseId: this.id,
      responseModel: this.model,
      finishReasons,
      usage: geminiUsage(this.usage),
      output: this.capture ? output : undefined,
    };
  }
}
