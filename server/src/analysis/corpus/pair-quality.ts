import { canonicalize, Vocabulary } from '../text/canonical.js';
import { comparePair } from '../text/similarity.js';
import type { Intent } from './texts/paraphrases.js';

/**
 * Paraphrase detection measured on pairs: every two phrasings of an intent are a positive, every
 * phrasing against each of its distractors a negative. The comparison is the one the near-duplicate
 * detector uses, at its threshold.
 */
export interface PairQuality {
  readonly tp: number;
  readonly fn: number;
  readonly fp: number;
  readonly tn: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly misses: string[];
  readonly falseMatches: string[];
}

export function pairQuality(intents: readonly Intent[], threshold: number): PairQuality {
  const vocab = new Vocabulary();
  const same = (a: string, b: string) => {
    const s = comparePair(canonicalize(a, vocab), canonicalize(b, vocab), vocab);
    return s.veto === undefined && s.score >= threshold;
  };
  let tp = 0;
  let fn = 0;
  let fp = 0;
  let tn = 0;
  const misses: string[] = [];
  const falseMatches: string[] = [];
  for (const intent of intents) {
    const v = intent.variants;
    for (let i = 0; i < v.length; i++) {
      for (let j = i + 1; j < v.length; j++) {
        if (same(v[i]!, v[j]!)) tp++;
        else {
          fn++;
          misses.push(`${v[i]!} | ${v[j]!}`);
        }
      }
    }
    for (const a of v) {
      for (const d of intent.distractors) {
        if (same(a, d)) {
          fp++;
          falseMatches.push(`${a} | ${d}`);
        } else tn++;
      }
    }
  }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  return {
    tp,
    fn,
    fp,
    tn,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    misses,
    falseMatches,
  };
}
