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

/** Canonical forms by lower-case word: words repeat endlessly across prompts, stemming them once pays. */
const WORD_CACHE = new Map<string, string>();
const WORD_CACHE_MAX = 200_000;

function canonicalWord(lower: string): string {
  let c = WORD_CACHE.get(lower);
  if (c === undefined) {
    const s = stem(lower);
    c = SYNONYMS.get(lower) ?? SYNONYMS.get(s) ?? s;
    if (WORD_CACHE.size >= WORD_CACHE_MAX) WORD_CACHE.clear();
    WORD_CACHE.set(lower, c);
  }
  return c;
}

const AMOUNT = canonicalWord('amount');
const DURATION = canonicalWord('duration');
const GENERIC_CANONICAL: ReadonlySet<string> = new Set([...GENERIC].map(canonicalWord));
const ACTION_CANONICAL: ReadonlySet<string> = new Set([...ACTIONS].map(canonicalWord));

/** Whether a text may contain one of the PHRASES (a cheap test before running them all). */
const PHRASE_HINT = /dollar|pound|quarter|\bv\d|work|out\b|up\b|per[ -]|time[ -]off/i;

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
  // Common multi-word verbs, folded to one word before negations and stopwords are read.
  [/\b(?:is|are|does|do|did|was|were|is|it|it's)?\s*(?:not|n['’]t)\s+work(?:ing|s|ed)?\b/gi, ' fails '],
  [/\b(?:run|runs|ran|running) out\b/gi, ' expires '],
  [/\b(?:take|takes|taking|took|taken) up\b/gi, ' uses '],
  [/\bsign(?:s|ing|ed)? up\b/gi, ' register '],
  [/\bper[ -]day\b/gi, ' daily '],
  [/\bper[ -]month\b/gi, ' monthly '],
  [/\bper[ -]year\b/gi, ' yearly '],
  [/\btime[ -]off\b/gi, ' holiday '],
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

/** Token budget of one combined request: its head and its tail (where requests and templates differ). */
const COMBINED_HEAD = 3072;
const COMBINED_TAIL = 1024;

/**
 * Joins the canonical forms of a request's parts (its messages) into one, keeping the head and tail
 * of very long requests. Parts are canonicalised once each, so conversations cost their new turns only.
 */
export function combine(parts: readonly CanonicalText[]): CanonicalText {
  if (parts.length === 1) return parts[0]!;
  let total = 0;
  for (const p of parts) total += p.seq.length;
  let seq: Int32Array;
  if (total <= COMBINED_HEAD + COMBINED_TAIL) {
    seq = new Int32Array(total);
    let at = 0;
    for (const p of parts) {
      seq.set(p.seq, at);
      at += p.seq.length;
    }
  } else {
    seq = new Int32Array(COMBINED_HEAD + COMBINED_TAIL);
    let at = 0;
    for (const p of parts) {
      if (at >= COMBINED_HEAD) break;
      const take = Math.min(p.seq.length, COMBINED_HEAD - at);
      seq.set(p.seq.subarray(0, take), at);
      at += take;
    }
    let end = seq.length;
    for (let i = parts.length - 1; i >= 0 && end > COMBINED_HEAD; i--) {
      const p = parts[i]!.seq;
      const take = Math.min(p.length, end - COMBINED_HEAD);
      seq.set(p.subarray(p.length - take), end - take);
      end -= take;
    }
  }
  const critical: number[] = [];
  const directional: number[] = [];
  let negated = false;
  for (const p of parts) {
    for (const id of p.critical) critical.push(id);
    for (const id of p.directional) directional.push(id);
    negated ||= p.negated;
  }
  return {
    seq,
    set: uniqueSorted(seq),
    critical: uniqueSorted(critical),
    directional: uniqueSorted(directional),
    negated,
  };
}

/** What a raw token is, independent of where it stands (cached: tokens repeat endlessly). */
type TokenInfo =
  | { readonly t: 'skip' | 'neg' | 'in'; readonly lower: string; readonly negates: boolean }
  | { readonly t: 'dir'; readonly lower: string; readonly negates: boolean; readonly dir: string }
  | {
      readonly t: 'word';
      readonly lower: string;
      readonly negates: boolean;
      readonly parts: readonly string[];
      /** 'capital': critical unless it starts a sentence (decided in context). */
      readonly critical: 'yes' | 'no' | 'capital';
      readonly named: boolean;
    };

const TOKEN_CACHE = new Map<string, TokenInfo>();
const TOKEN_CACHE_MAX = 300_000;

function classify(raw: string): TokenInfo {
  const cached = TOKEN_CACHE.get(raw);
  if (cached) return cached;
  const info = classifyUncached(raw);
  if (TOKEN_CACHE.size >= TOKEN_CACHE_MAX) TOKEN_CACHE.clear();
  TOKEN_CACHE.set(raw, info);
  return info;
}

function classifyUncached(raw: string): TokenInfo {
  let lower = raw.toLowerCase();
  const original = lower;
  let negates = false;
  const compound = /[._@/]/.test(raw) || /\d/.test(raw);
  if (!compound) {
    const c = CONTRACTION.exec(lower);
    if (c) {
      if (/n['’]t$/.test(lower)) negates = true;
      lower = c[1] ?? '';
      if (lower === '' || lower === 'ca' || lower === 'wo') return { t: 'skip', lower: original, negates };
    }
  }
  if (NEGATIONS.has(lower)) return { t: 'neg', lower: original, negates: true };
  if (DIRECTIONAL.has(lower)) return { t: 'dir', lower: original, negates, dir: DIRECTION_CANON.get(lower) ?? lower };
  // "in" places an entity ("9am Pacific in London"); before a currency it points where "to" does.
  if (lower === 'in') return { t: 'in', lower: original, negates };
  const number = NUMBER_WORDS.get(lower);
  // An all-capitals word is a name ("US", "WHO"), not the function word it spells, unless a common acronym.
  const shouted = raw.length >= 2 && raw === raw.toUpperCase() && raw !== lower && !COMMON_ACRONYMS.has(lower);
  if (number === undefined && !compound && !shouted && (STOPWORDS.has(lower) || FILLERS.has(lower))) {
    return { t: 'skip', lower: original, negates };
  }
  const named = CRITICAL_WORDS.has(lower);
  if (number !== undefined) return { t: 'word', lower: original, negates, parts: [number], critical: 'yes', named };
  if (compound)
    return { t: 'word', lower: original, negates, parts: [lower.replace(/['’]s$/, '')], critical: 'yes', named };
  const pieces = lower.split(/[-'’]/);
  // "wi-fi", "e-mail": short pieces are one word.
  const joined = pieces.length > 1 && pieces.some((p) => p.length <= 2) ? [pieces.join('')] : pieces;
  const parts = joined.filter((p) => p.length > 0 && !STOPWORDS.has(p) && !FILLERS.has(p)).map(canonicalWord);
  const acronym = COMMON_ACRONYMS.has(lower);
  const upper = raw.length >= 2 && raw === raw.toUpperCase() && raw !== lower;
  const capital = raw[0] !== raw[0]!.toLowerCase() && raw !== 'I';
  const critical = named || (!acronym && upper) ? 'yes' : !acronym && capital ? 'capital' : 'no';
  return { t: 'word', lower: original, negates, parts, critical, named };
}

const QUOTES = new Set(['"', '`', '“', "'"]);

/** Canonicalises one text (a request's messages, a system prompt, an answer). */
export function canonicalize(text: string, vocab: Vocabulary): CanonicalText {
  let src = clip(text);
  if (PHRASE_HINT.test(src)) for (const [re, to] of PHRASES) src = src.replace(re, to);
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
    const info = classify(raw);
    const before = previous;
    previous = info.lower;
    if (info.lower === 'off' && OFF_VERBS.has(before)) {
      negated = true;
      continue;
    }
    if (info.negates) negated = true;
    if (info.t === 'skip' || info.t === 'neg') continue;
    if (info.t === 'dir') {
      direction = info.dir;
      sinceDirection = 0;
      continue;
    }
    if (info.t !== 'word') {
      direction = 'in';
      sinceDirection = 0;
      continue;
    }
    const quoted = QUOTES.has(src[start - 1] ?? '') && isQuoted(src, start, start + raw.length);
    const isCritical =
      info.critical === 'yes' || quoted || (info.critical === 'capital' && !isSentenceStart(src, start));
    for (const part of info.parts) {
      const id = vocab.id(part);
      seq.push(id);
      if (isCritical) critical.push(id);
      // The object of a direction word: "from NY to Florida" and "from Florida to NY" differ.
      if (isCritical && direction !== '' && sinceDirection <= DIRECTION_REACH) {
        directional.push(vocab.id(`${direction === 'in' && info.named ? 'to' : direction}>${part}`));
      }
    }
  }
  // "How many days/hours" asks for a duration, not a count.
  const amount = vocab.id(AMOUNT);
  const duration = vocab.id(DURATION);
  const kept = new Int32Array(seq.length);
  let n = 0;
  for (let i = 0; i < seq.length; i++) if (!(seq[i] === amount && seq[i + 1] === duration)) kept[n++] = seq[i]!;
  const out = kept.subarray(0, n);
  return {
    seq: out,
    set: uniqueSorted(out),
    critical: uniqueSorted(critical),
    directional: uniqueSorted(directional),
    negated,
  };
}
