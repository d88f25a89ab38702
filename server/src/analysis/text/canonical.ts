import {
  ACTIONS,
  COMMON_ACRONYMS,
  CRITICAL_WORDS,
  DIRECTIONAL,
  FILLERS,
  GENERIC,
  NEGATIONS,
  NUMBER_WORDS,
  OFF_VERBS,
  STOPWORDS,
  SYNONYM_GROUPS,
} from './lexicon.js';
import { uniqueSorted } from './sorted-set.js';
import { stem } from './stemmer.js';

/**
 * Canonical form of a request's text for paraphrase comparison: content-bearing tokens only
 * (function words and request fillers dropped), stemmed, synonyms folded, each mapped to a small
 * integer id. Tokens that name something — numbers, identifiers, quoted literals, capitalised words
 * inside a sentence — are "critical": two requests that differ in one are different requests,
 * however similar the rest ("capital of France" vs "capital of Spain").
 */

export interface CanonicalText {
  /** Canonical token ids in text order. */
  readonly seq: Int32Array;
  /** Sorted unique ids. */
  readonly set: Int32Array;
  /** Sorted unique ids that appeared in a critical form (entity, number, identifier, quoted). */
  readonly critical: Int32Array;
  /** Sorted ids of (direction word, entity) pairs: "from NY" and "to NY" differ. */
  readonly directional: Int32Array;
  readonly negated: boolean;
}

const SYNONYMS: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  for (const group of SYNONYM_GROUPS) {
    const canonical = stem(group[0]!);
    for (const word of group) {
      if (!m.has(word)) m.set(word, canonical);
      const s = stem(word);
      if (!m.has(s)) m.set(s, canonical);
    }
  }
  return m;
})();

/** Direction words folded together ("to" and "into" point the same way). */
const DIRECTION_CANON: ReadonlyMap<string, string> = new Map([
  ['into', 'to'],
  ['toward', 'to'],
  ['towards', 'to'],
  ['versus', 'vs'],
]);
/** A direction word applies to the next this-many words. */
const DIRECTION_REACH = 2;

const TOKEN = /[\p{L}\p{N}]+(?:[._@/'’-][\p{L}\p{N}]+)*/gu;
const SENTENCE_END = /[.!?:;\n"“(\[{>*#-]/;
const CONTRACTION = /^(.*?)(?:n['’]t|['’](?:s|re|ve|ll|d|m))$/;
/** Long texts are compared on their head and tail (where requests and templates differ). */
const HEAD_CHARS = 12_000;
const TAIL_CHARS = 4_000;

/** Ids for canonical tokens, shared by every text of one analysis. */
export class Vocabulary {
  private readonly ids = new Map<string, number>();
  private readonly words: string[] = [];
  private readonly weights: number[] = [];
  private readonly actions: boolean[] = [];

  id(token: string): number {
    let id = this.ids.get(token);
    if (id === undefined) {
      id = this.words.length;
      this.ids.set(token, id);
      this.words.push(token);
      this.weights.push(GENERIC_CANONICAL.has(token) ? GENERIC_WEIGHT : 1);
      this.actions.push(ACTION_CANONICAL.has(token));
    }
    return id;
  }

  /** Verbs that change what a request does (delete, translate, restart …). */
  isAction(id: number): boolean {
    return this.actions[id] ?? false;
  }

  /** Framing words ("list", "steps", "process"): low weight, never a difference on their own. */
  isGeneric(id: number): boolean {
    return (this.weights[id] ?? 1) < 1;
  }

  word(id: number): string {
    return this.words[id] ?? '';
  }

  /** Base weight of a token: generic words count half. */
  weight(id: number): number {
    return this.weights[id] ?? 1;
  }
}

export const GENERIC_WEIGHT = 0.3;

function clip(text: string): string {
  if (text.length <= HEAD_CHARS + TAIL_CHARS) return text;
  return `${text.slice(0, HEAD_CHARS)}\n${text.slice(-TAIL_CHARS)}`;
}

function canonicalWord(lower: string): string {
  return SYNONYMS.get(lower) ?? SYNONYMS.get(stem(lower)) ?? stem(lower);
}

const AMOUNT = canonicalWord('amount');
const DURATION = canonicalWord('duration');
const GENERIC_CANONICAL: ReadonlySet<string> = new Set([...GENERIC].map(canonicalWord));
const ACTION_CANONICAL: ReadonlySet<string> = new Set([...ACTIONS].map(canonicalWord));

/** Two-word names folded before tokenising. */
const PHRASES: readonly (readonly [RegExp, string])[] = [
  [/\bU\.?S\.? dollars?\b/gi, 'USD'],
  [/\bBritish pounds?\b/gi, 'GBP'],
  [/\b(?:the )?first quarter\b/gi, 'Q1'],
  [/\b(?:the )?second quarter\b/gi, 'Q2'],
  [/\b(?:the )?third quarter\b/gi, 'Q3'],
  [/\b(?:the )?fourth quarter\b/gi, 'Q4'],
  // "v22", "version 22" and "22" name the same version.
  [/\bv(\d+(?:\.\d+)*)\b/g, '$1'],
];

function isSentenceStart(text: string, index: number): boolean {
  for (let i = index - 1; i >= 0; i--) {
    const c = text[i]!;
    if (c === ' ' || c === '\t') continue;
    return SENTENCE_END.test(c);
  }
  return true;
}

function isQuoted(text: string, start: number, end: number): boolean {
  const before = text[start - 1];
  const after = text[end];
  return (
    (before === '"' && after === '"') ||
    (before === '`' && after === '`') ||
    (before === '“' && after === '”') ||
    (before === "'" && after === "'")
  );
}

/** Canonicalises one text (a request's messages, a system prompt, an answer). */
export function canonicalize(text: string, vocab: Vocabulary): CanonicalText {
  let src = clip(text);
  for (const [re, to] of PHRASES) src = src.replace(re, to);
  const seq: number[] = [];
  const critical: number[] = [];
  const directional: number[] = [];
  let negated = false;
  let previous = '';
  let direction = '';
  let sinceDirection = DIRECTION_REACH + 1;
  for (const match of src.matchAll(TOKEN)) {
    const raw = match[0];
    const start = match.index;
    sinceDirection++;
    let lower = raw.toLowerCase();
    const before = previous;
    previous = lower;
    if (lower === 'off' && OFF_VERBS.has(before)) {
      negated = true;
      continue;
    }
    const compound = /[._@/]/.test(raw) || /\d/.test(raw);
    if (!compound) {
      const c = CONTRACTION.exec(lower);
      if (c) {
        if (/n['’]t$/.test(lower)) negated = true;
        lower = c[1] ?? '';
        if (lower === '' || lower === 'ca' || lower === 'wo') continue;
      }
    }
    if (NEGATIONS.has(lower)) {
      negated = true;
      continue;
    }
    if (DIRECTIONAL.has(lower)) {
      direction = DIRECTION_CANON.get(lower) ?? lower;
      sinceDirection = 0;
      continue;
    }
    // "in" places an entity ("9am Pacific in London"); before a currency it points where "to" does.
    if (lower === 'in') {
      direction = 'in';
      sinceDirection = 0;
      continue;
    }
    const number = NUMBER_WORDS.get(lower);
    // An all-capitals word is a name ("US", "WHO"), not the function word it spells, unless a common acronym.
    const shouted = raw.length >= 2 && raw === raw.toUpperCase() && raw !== lower && !COMMON_ACRONYMS.has(lower);
    if (number === undefined && !compound && !shouted && (STOPWORDS.has(lower) || FILLERS.has(lower))) continue;
    const named = CRITICAL_WORDS.has(lower);
    let parts: string[];
    let isCritical: boolean;
    if (number !== undefined) {
      parts = [number];
      isCritical = true;
    } else if (compound) {
      parts = [lower.replace(/['’]s$/, '')];
      isCritical = true;
    } else {
      parts = lower.split(/[-'’]/).filter((p) => p.length > 0 && !STOPWORDS.has(p) && !FILLERS.has(p));
      const acronym = COMMON_ACRONYMS.has(lower);
      const upper = raw.length >= 2 && raw === raw.toUpperCase() && raw !== raw.toLowerCase();
      const capital = raw[0] !== raw[0]!.toLowerCase() && raw !== 'I';
      isCritical =
        named ||
        (!acronym && (upper || (capital && !isSentenceStart(src, start)) || isQuoted(src, start, start + raw.length)));
      parts = parts.map(canonicalWord);
    }
    for (const part of parts) {
      const id = vocab.id(part);
      seq.push(id);
      if (isCritical) critical.push(id);
      // The object of a direction word: "from NY to Florida" and "from Florida to NY" differ.
      if (isCritical && direction !== '' && sinceDirection <= DIRECTION_REACH) {
        directional.push(vocab.id(`${direction === 'in' && named ? 'to' : direction}>${part}`));
      }
    }
  }
  // "How many days/hours" asks for a duration, not a count.
  const amount = vocab.id(AMOUNT);
  const duration = vocab.id(DURATION);
  const kept = seq.filter((id, i) => !(id === amount && seq[i + 1] === duration));
  const seqArray = Int32Array.from(kept);
  return {
    seq: seqArray,
    set: uniqueSorted(kept),
    critical: uniqueSorted(critical),
    directional: uniqueSorted(directional),
    negated,
  };
}
