import type { TemplateSpan } from './similarity.js';

/**
 * Learns prompt templates: requests of one call site (same system prompt, agent and operation) that
 * start — or end — with the same canonical tokens form a group; the tokens every member shares at
 * the start and end are the template, the rest are slots. A group needs three members and at least
 * two different slot values (a group of identical requests has no template, only duplicates).
 */

export interface TemplateItem {
  readonly index: number;
  /** Call-site key: requests with different keys never share a template. */
  readonly site: string;
  readonly seq: Int32Array;
}

export interface LearnedTemplate extends TemplateSpan {
  /** Members of the group the template was learned from. */
  readonly members: number;
}

const MIN_MEMBERS = 3;
const EDGE = 2;

function commonPrefix(a: Int32Array, b: Int32Array): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

function commonSuffix(a: Int32Array, b: Int32Array): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[a.length - 1 - i] === b[b.length - 1 - i]) i++;
  return i;
}

/** A hash of the slot part of a sequence (to count distinct slot values without building strings). */
function middleKey(seq: Int32Array, prefix: number, suffix: number): number {
  let h = 0x811c9dc5;
  const end = Math.max(prefix, seq.length - suffix);
  for (let i = prefix; i < end; i++) h = Math.imul(h ^ seq[i]!, 0x01000193);
  return (h ^ (end - prefix)) >>> 0;
}

function group(items: readonly TemplateItem[], edge: (seq: Int32Array) => string): Map<string, TemplateItem[]> {
  const groups = new Map<string, TemplateItem[]>();
  for (const item of items) {
    if (item.seq.length < EDGE + 1) continue;
    const key = `${item.site}\x1f${edge(item.seq)}`;
    const g = groups.get(key);
    if (g) g.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** Templates by item index (items in no template group are absent). */
export function learnTemplates(items: readonly TemplateItem[]): Map<number, LearnedTemplate> {
  const prefixOf = new Map<number, { len: number; members: number }>();
  const suffixOf = new Map<number, { len: number; members: number }>();

  for (const members of group(items, (s) => `${s[0]},${s[1]}`).values()) {
    if (members.length < MIN_MEMBERS) continue;
    const first = members[0]!.seq;
    let len = first.length;
    for (const m of members) len = Math.min(len, commonPrefix(first, m.seq));
    const middles = new Set(members.map((m) => middleKey(m.seq, len, 0)));
    if (middles.size < 2) continue;
    for (const m of members) prefixOf.set(m.index, { len, members: members.length });
  }
  for (const members of group(items, (s) => `${s[s.length - 2]},${s[s.length - 1]}`).values()) {
    if (members.length < MIN_MEMBERS) continue;
    const first = members[0]!.seq;
    let len = first.length;
    for (const m of members) len = Math.min(len, commonSuffix(first, m.seq));
    const middles = new Set(members.map((m) => middleKey(m.seq, 0, len)));
    if (middles.size < 2) continue;
    for (const m of members) suffixOf.set(m.index, { len, members: members.length });
  }

  const out = new Map<number, LearnedTemplate>();
  for (const item of items) {
    const pre = prefixOf.get(item.index);
    const suf = suffixOf.get(item.index);
    if (!pre && !suf) continue;
    const prefix = pre?.len ?? 0;
    const suffix = Math.min(suf?.len ?? 0, Math.max(0, item.seq.length - prefix));
    out.set(item.index, { prefix, suffix, members: Math.max(pre?.members ?? 0, suf?.members ?? 0) });
  }
  return out;
}

/** The slot tokens of a sequence under a template. */
export function slotsOf(seq: Int32Array, template: TemplateSpan | undefined): Int32Array {
  if (!template) return seq;
  return seq.subarray(template.prefix, Math.max(template.prefix, seq.length - template.suffix));
}
