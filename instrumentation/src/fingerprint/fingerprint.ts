import { createHash } from 'node:crypto';
import { ngramSimHashUTF8 } from './simhash.js';

/**
 * Request fingerprints, definition v1. This is the JavaScript twin of the SQL in
 * clickhouse/migrations/0004_create_genai_functions.sql (kaizen_v1_*): the instrumentation records
 * these values as kaizen.* span attributes (content captured or not), the genai_calls view computes
 * them from captured content when a span lacks them, and a test checks that both agree.
 *
 * Messages are the semantic conventions' JSON: [{ role, parts: [{ type, content, … }] }].
 */

export const FINGERPRINT_VERSION = 'kaizen.v1';

/** The code points of the prompt text the near-duplicate fingerprint reads. */
export const SIMHASH_MAX_CODE_POINTS = 8192;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface FingerprintInput {
  /** The request model (the response model when the request names none). */
  readonly model: string;
  /** gen_ai.operation.name: chat, text_completion, generate_content, embeddings. */
  readonly operation: string;
  readonly temperature?: number | undefined;
  readonly topP?: number | undefined;
  readonly topK?: number | undefined;
  readonly maxTokens?: number | undefined;
  readonly seed?: number | undefined;
  readonly frequencyPenalty?: number | undefined;
  readonly presencePenalty?: number | undefined;
  /** gen_ai.output.type: text, json, … */
  readonly outputType?: string | undefined;
  /** gen_ai.system_instructions: an array of parts (or a plain string). */
  readonly systemInstructions?: Json | undefined;
  /** gen_ai.input.messages. */
  readonly inputMessages: Json;
}

export interface Fingerprints {
  /** Same normalised request (model, parameters, system and messages); 0n when there is no content. */
  readonly promptHash: bigint;
  /** Near-duplicate fingerprint of the prompt text (32-bit simhash); 0n when there is none. */
  readonly promptSimHash: bigint;
  /** The system instructions / static prefix; 0n when there are none. */
  readonly systemHash: bigint;
}

type JsonObject = { [key: string]: Json };

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: Json | undefined, key: string): string {
  if (!isObject(o)) return '';
  const v = o[key];
  return typeof v === 'string' ? v : '';
}

function has(o: Json | undefined, key: string): boolean {
  return isObject(o) && Object.prototype.hasOwnProperty.call(o, key);
}

/** A value as text: JSON strings as their text, anything else as its JSON (absent: ''). */
function jsonText(o: Json | undefined, key: string): string {
  if (!isObject(o) || !has(o, key)) return '';
  const v = o[key];
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function asArray(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : [];
}

/** ASCII lower case, as ClickHouse's lower(). */
function lowerAscii(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

export function normWs(s: string): string {
  return s.replace(/[\t\n\f\r ]+/g, ' ').replace(/^ +| +$/g, '');
}

export function hash64(s: string): bigint {
  return createHash('sha256').update(s, 'utf8').digest().readBigUInt64LE(0);
}

export function partText(p: Json): string {
  const type = str(p, 'type');
  switch (type) {
    case 'text':
    case 'reasoning':
    case 'thinking':
      return has(p, 'content') ? str(p, 'content') : str(p, 'text');
    case 'tool_call':
      return `tool_call ${str(p, 'name')} ${jsonText(p, 'arguments')}`;
    case 'tool_call_response':
      return `tool_result ${jsonText(p, 'response')}`;
    case 'uri':
      return `[uri ${str(p, 'uri')}]`;
    case 'file':
      return `[file ${str(p, 'file_id')}]`;
    case 'blob':
      return `[blob ${createHash('sha256').update(str(p, 'content'), 'utf8').digest().subarray(0, 8).toString('hex')}]`;
    default:
      return `[${type}]`;
  }
}

export function messageText(m: Json): string {
  if (has(m, 'parts'))
    return asArray((m as JsonObject)['parts'])
      .map(partText)
      .join(' ');
  const content = isObject(m) ? m['content'] : undefined;
  if (typeof content === 'string') return content;
  return asArray(content).map(partText).join(' ');
}

const SYSTEM_ROLES = new Set(['system', 'developer']);

export function systemText(systemInstructions: Json | undefined, inputMessages: Json): string {
  let sys: string[];
  if (typeof systemInstructions === 'string') {
    sys = systemInstructions === '' ? [] : [systemInstructions];
  } else {
    sys = asArray(systemInstructions).map(partText);
  }
  const fromMessages = asArray(inputMessages)
    .filter((m) => SYSTEM_ROLES.has(str(m, 'role')))
    .map(messageText);
  return normWs([...sys, ...fromMessages].join('\n'));
}

export function promptText(inputMessages: Json): string {
  return normWs(
    asArray(inputMessages)
      .filter((m) => !SYSTEM_ROLES.has(str(m, 'role')))
      .map((m) => `${str(m, 'role')}: ${messageText(m)}`)
      .join('\n'),
  );
}

function num(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '' : String(v);
}

function firstCodePoints(s: string, max: number): string {
  if (s.length <= max) return s;
  let count = 0;
  let i = 0;
  while (i < s.length && count < max) {
    const cp = s.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    count++;
  }
  return s.slice(0, i);
}

export function computeFingerprints(input: FingerprintInput): Fingerprints {
  const sys = systemText(input.systemInstructions, input.inputMessages);
  const prompt = promptText(input.inputMessages);
  if (sys === '' && prompt === '') return { promptHash: 0n, promptSimHash: 0n, systemHash: 0n };
  const key = [
    FINGERPRINT_VERSION,
    lowerAscii(input.model),
    input.operation,
    num(input.temperature),
    num(input.topP),
    num(input.topK),
    input.maxTokens ? String(input.maxTokens) : '',
    num(input.seed),
    num(input.frequencyPenalty),
    num(input.presencePenalty),
    input.outputType ?? '',
    sys,
    prompt,
  ].join('\x1f');
  return {
    promptHash: hash64(key),
    promptSimHash: prompt === '' ? 0n : ngramSimHashUTF8(firstCodePoints(prompt, SIMHASH_MAX_CODE_POINTS)),
    systemHash: sys === '' ? 0n : hash64(sys),
  };
}

/** Parses message JSON as stored (gen_ai.input.messages …); invalid JSON reads as no messages. */
export function parseMessagesJson(text: string): Json {
  if (text === '') return [];
  try {
    return JSON.parse(text) as Json;
  } catch {
    return [];
  }
}

/** System instructions as stored: JSON when it starts with '[', the plain text otherwise. */
export function parseSystemInstructions(text: string): Json {
  if (text.replace(/^ +/, '').startsWith('[')) return parseMessagesJson(text);
  return text;
}
