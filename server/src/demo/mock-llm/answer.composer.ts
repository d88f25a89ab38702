import type { ChatRequest, ToolCall, ToolSpec } from './mock-llm.types.js';
import { hash32, Seeded } from '../seeded.js';

/**
 * What the mock model says: a deterministic function of the request (and the seed), shaped by what
 * the request asks for, the way a real model's answer is:
 * - the user repeats, word for word, something they already said in this conversation → the answer
 *   given to it then (a model stuck on the same feedback);
 * - tools offered and the user just spoke → a call to the first tool whose arguments the text fills;
 *   a tool result asking to check again ("pending", "try again later") → the same call again;
 * - a JSON answer asked for → an object filled from the schema;
 * - "one of: a, b, c" → the option the text mentions most (else one at random);
 * - "yes or no" → Yes (two times in three) or No;
 * - otherwise prose of the length asked for ("in one sentence", "about 80 words"), citing the first
 *   numbered source when sources are given, as a reply when a customer is to be answered.
 * Sampling parameters and limits do not change the answer (a retry with more room gets the same
 * text, whole).
 */

export interface Composed {
  readonly text: string;
  readonly toolCalls: readonly ToolCall[];
}

const ASKS_AGAIN = /\b(pending|check again|try again later|still processing|not (yet )?available)\b/i;
/** At most this many tool results in a row before the model answers whatever they say. */
const MAX_TOOL_ROUNDS = 6;

export function seedOf(req: ChatRequest, seed: number): number {
  const parts: string[] = [req.model, req.system];
  for (const m of req.messages) {
    parts.push(m.role, m.text);
    for (const c of m.toolCalls ?? []) parts.push(c.name, JSON.stringify(c.args));
  }
  return hash32(seed, ...parts);
}

function lastOf(req: ChatRequest, role: 'user' | 'assistant' | 'tool'): string {
  for (let i = req.messages.length - 1; i >= 0; i--) if (req.messages[i]!.role === role) return req.messages[i]!.text;
  return '';
}

export function compose(req: ChatRequest, seed: number): Composed {
  const rng = new Seeded(seedOf(req, seed));
  const user = lastOf(req, 'user');
  const task = `${req.system.slice(0, 4000)}\n${user}`;
  const repeated = repeatedAnswer(req);
  if (repeated) return repeated;
  if (req.tools.length > 0 && req.toolsAllowed) {
    const call = toolStep(req, user, rng);
    if (call) return { text: '', toolCalls: [call] };
  }
  if (req.json) return { text: JSON.stringify(fillJson(req.jsonSchema, user, rng)), toolCalls: [] };
  const options = choicesIn(task);
  if (options.length >= 2) return { text: choose(options, user, rng), toolCalls: [] };
  if (/\b(yes or no|yes\/no)\b/i.test(task)) return { text: rng.chance(2 / 3) ? 'Yes' : 'No', toolCalls: [] };
  return { text: prose(task, user, rng), toolCalls: [] };
}

/** When the last user message repeats an earlier one of the conversation: the answer given to that one. */
function repeatedAnswer(req: ChatRequest): Composed | undefined {
  const m = req.messages;
  const last = m[m.length - 1];
  if (last?.role !== 'user') return undefined;
  for (let i = m.length - 2; i >= 0; i--) {
    const answer = m[i + 1];
    if (m[i]!.role === 'user' && m[i]!.text === last.text && answer?.role === 'assistant') {
      return { text: answer.text, toolCalls: answer.toolCalls ?? [] };
    }
  }
  return undefined;
}

function callId(name: string, args: unknown, n: number, rng: Seeded): string {
  return `call_${hash32(name, JSON.stringify(args), n, rng.int(0, 1e9)).toString(36)}`;
}

function toolStep(req: ChatRequest, user: string, rng: Seeded): ToolCall | undefined {
  const last = req.messages[req.messages.length - 1];
  if (last?.role === 'tool') {
    let rounds = 0;
    for (let i = req.messages.length - 1; i >= 0 && req.messages[i]!.role !== 'user'; i--) {
      if (req.messages[i]!.role === 'tool') rounds++;
    }
    const previous = [...req.messages].reverse().find((m) => m.role === 'assistant' && m.toolCalls?.length);
    const again = previous?.toolCalls?.[0];
    if (again && ASKS_AGAIN.test(last.text) && rounds < MAX_TOOL_ROUNDS) {
      return { id: callId(again.name, again.args, rounds, rng), name: again.name, args: again.args };
    }
    return undefined;
  }
  if (last?.role !== 'user') return undefined;
  for (const tool of req.tools) {
    const args = fillArgs(tool, user, rng);
    if (args) return { id: callId(tool.name, args, 0, rng), name: tool.name, args };
  }
  return undefined;
}

interface Schema {
  type?: unknown;
  properties?: Record<string, Schema>;
  required?: unknown;
  enum?: unknown;
  items?: Schema;
}

const asSchema = (v: unknown): Schema => (typeof v === 'object' && v !== null ? v : {});

const ID = /\b(?:#\s?)?([A-Z]{1,4}-?\d{3,}|\d{5,})\b/;

/** Arguments for a tool from the user's text; undefined when a required one cannot be found. */
function fillArgs(tool: ToolSpec, user: string, rng: Seeded): Record<string, unknown> | undefined {
  const schema = asSchema(tool.parameters);
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const args: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    const value = /id$|_id|number|code|reference/i.test(key)
      ? ID.exec(user)?.[1]
      : fillValue(asSchema(prop), user, rng);
    if (value === undefined) {
      if (required.has(key)) return undefined;
      continue;
    }
    args[key] = value;
  }
  return args;
}

const STOP = new Set(
  'the a an and or but to of in on for with at by from is are was were be been it this that these those i you we they he she my your our their me us them have has had do does did not no so as if can could would should will just please hi hello thanks thank dear regards'.split(
    ' ',
  ),
);

/** Content words of a text, in order, without repeats. */
function keywords(text: string, max: number): string[] {
  const out: string[] = [];
  for (const w of text.toLowerCase().match(/[a-z][a-z'-]{3,}/g) ?? []) {
    if (STOP.has(w) || out.includes(w)) continue;
    out.push(w);
    if (out.length >= max) break;
  }
  return out;
}

function fillValue(s: Schema, user: string, rng: Seeded): unknown {
  if (Array.isArray(s.enum) && s.enum.length > 0) return choose(s.enum.map(String), user, rng);
  switch (s.type) {
    case 'integer':
    case 'number':
      return rng.int(1, 5);
    case 'boolean':
      return rng.chance(0.5);
    case 'array':
      return [fillValue(asSchema(s.items), user, rng)];
    case 'object':
      return fillJson(s, user, rng);
    default:
      return keywords(user, 6).join(' ') || 'n/a';
  }
}

function fillJson(schema: unknown, user: string, rng: Seeded): unknown {
  const s = asSchema(schema);
  if (s.properties === undefined) return { answer: sentenceAbout(user, rng) };
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(s.properties)) out[key] = fillValue(asSchema(prop), user, rng);
  return out;
}

/** Options a request asks to choose from ("one of: billing, bug, other"). */
function choicesIn(task: string): string[] {
  const m =
    /\b(?:one of(?: the following)?(?: labels| categories| options| words)?|choose (?:one|from)|either)\b\s*:?\s*([^\n]+)/i.exec(
      task,
    );
  if (!m) return [];
  return m[1]!
    .split(/,|\/|\||\bor\b/)
    .map((o) => o.trim().replace(/^["'`*]+|["'`*.;:!?)]+$/g, ''))
    .filter((o) => /^[A-Za-z][\w-]{0,30}$/.test(o));
}

/** The option the text mentions most (its word, or the word's stem), else one at random. */
function choose(options: readonly string[], text: string, rng: Seeded): string {
  const lower = text.toLowerCase();
  let best: string[] = [];
  let bestScore = 0;
  for (const o of options) {
    const words = o.toLowerCase().split(/[_-]/);
    let score = 0;
    for (const w of words) {
      const stem = w.length > 5 ? w.slice(0, w.length - 2) : w;
      score += lower.split(stem).length - 1;
    }
    if (score > bestScore) {
      best = [o];
      bestScore = score;
    } else if (score === bestScore && score > 0) best.push(o);
  }
  return rng.pick(best.length > 0 ? best : options);
}

const OPENERS = [
  'Thank you for getting in touch with us.',
  'Thanks for reaching out, and sorry for the trouble.',
  'Thank you for your message.',
];
const FILLER = [
  'We have gone through the details you sent us.',
  'Our team looked into this today.',
  'We understand how frustrating this can be.',
  'Here is what happens next.',
  'You do not need to do anything else right now.',
  'We will keep you posted as soon as something changes.',
  'If anything is still unclear, simply reply to this message.',
  'We appreciate your patience while we sort this out.',
  'This should be settled within a few working days.',
  'We have noted this on your case so nobody asks you twice.',
];

function sentenceAbout(text: string, rng: Seeded): string {
  const words = keywords(text, 8);
  if (words.length === 0) return rng.pick(FILLER);
  return `The message is about ${words.slice(0, Math.min(words.length, rng.int(4, 8))).join(', ')}.`;
}

function targetWords(task: string, rng: Seeded): number {
  if (/\bone sentence\b/i.test(task)) return rng.int(16, 28);
  const n = /\b(?:about|around|roughly|at most|no more than|under|up to|in)\s+(\d{1,4})\s+words\b/i.exec(task);
  if (n) return Math.max(5, Math.round(Number(n[1]) * (0.9 + rng.next() * 0.2)));
  const s = /\b(\d)\s+sentences\b/i.exec(task);
  if (s) return Number(s[1]) * rng.int(14, 20);
  return rng.int(60, 160);
}

/** Numbered sources in a text: "[1] …" lines. */
function firstSource(text: string): string | undefined {
  const m = /^\s*\[1\]\s*(.+(?:\n(?!\s*\[\d+\]).+)*)/m.exec(text);
  return m?.[1];
}

/** The text without its numbered source blocks (what the asker wrote). */
function withoutSources(text: string): string {
  return text.replace(/^\s*\[\d+\][^\n]*(?:\n(?!\s*\[\d+\])[^\n]+)*/gm, '');
}

function prose(task: string, user: string, rng: Seeded): string {
  const target = targetWords(task, rng);
  const reply = /\b(reply|respond|draft|answer the customer|write to the customer)\b/i.test(task);
  const own = withoutSources(user);
  const parts: string[] = [];
  let words = 0;
  const add = (s: string) => {
    parts.push(s);
    words += s.split(/\s+/).filter(Boolean).length;
  };
  if (reply) add(rng.pick(OPENERS));
  const source = firstSource(user);
  if (source) {
    const sentences = source.split(/(?<=[.!?])\s+/).filter((s) => s.length > 20);
    sentences.slice(0, 2).forEach((s, i) => add(i === 0 ? `As described in [1], ${lowerFirst(s)}` : s));
  } else if (!reply) {
    add(sentenceAbout(own, rng));
  }
  const filler = [...FILLER];
  const topics = keywords(own, 60);
  for (let k = 0; words < target;) {
    if (filler.length > 0) add(filler.splice(rng.int(0, filler.length - 1), 1)[0]!);
    else if (k < topics.length) {
      add(`We have also noted the points about ${topics.slice(k, k + 4).join(', ')}.`);
      k += 4;
    } else add(rng.pick(FILLER));
  }
  const text = parts.join(' ');
  return reply ? `Hello,\n\n${text}\n\nBest regards,\nThe Support Team` : text;
}

function lowerFirst(s: string): string {
  return s.length > 1 && /^[A-Z][a-z]/.test(s) ? `${s[0]!.toLowerCase()}${s.slice(1)}` : s;
}
