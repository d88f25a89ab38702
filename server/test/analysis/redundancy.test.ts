import { describe, expect, it } from 'vitest';
import { detectRedundantCalls } from '../../src/analysis/detectors/redundant-call.detector.js';
import { canonicalize, Vocabulary } from '../../src/analysis/text/canonical.js';
import { comparePair } from '../../src/analysis/text/similarity.js';
import { pairQuality } from '../../src/analysis/corpus/pair-quality.js';
import { INTENTS } from '../../src/analysis/corpus/texts/paraphrases.js';
import { call, context, run } from './support/calls.js';

/** redundant_call: exact and near duplicates, on crafted positives and the traps that fool semantic caches. */

const same = (a: string, b: string) => {
  const v = new Vocabulary();
  return comparePair(canonicalize(a, v), canonicalize(b, v), v);
};

describe('pair comparison', () => {
  it('matches rewordings of one request', () => {
    for (const [a, b] of [
      [
        'Summarize the key findings of the Q3 revenue report.',
        'Give me a summary of the main findings in the Q3 revenue report.',
      ],
      ['How do I reset my password?', 'I forgot my password. How can I reset it?'],
      ['What will the weather be like in Berlin tomorrow?', "Tomorrow's weather forecast for Berlin?"],
      ['Find flights from New York to London on May 12.', 'Show me May 12 flights from New York to London.'],
    ] as const) {
      const s = same(a, b);
      expect(s.veto, `${a} | ${b}`).toBeUndefined();
      expect(s.score, `${a} | ${b}`).toBeGreaterThanOrEqual(0.6);
    }
  });

  it('vetoes a different entity, number, negation, direction or action', () => {
    expect(same('What is the capital of Australia?', 'What is the capital of Austria?').veto).toBe('entity');
    expect(same('Where is my refund for order 48213?', 'Where is my refund for order 48231?').veto).toBe('entity');
    expect(same('How do I turn on dark mode?', 'How do I turn off dark mode?').veto).toBe('negation');
    expect(same('Find flights from Paris to London', 'Find flights from London to Paris').veto).toBe('direction');
    expect(same('Convert 250 US dollars to euros.', 'Convert 250 euros to US dollars.').veto).toBe('direction');
    expect(
      same('Find duplicate emails in the users table', 'Find and delete duplicate emails in the users table').veto,
    ).toBe('substitution');
  });

  it('compares only the slots of one template, however long the template', () => {
    const template =
      'You will receive a sentence from our product UI. Translate it to French, keep placeholders such as {name} ' +
      'unchanged, keep the tone, do not add explanations. Sentence: ';
    const s = same(
      `${template}the new dashboard lets you compare costs across teams`,
      `${template}confirm your email address to activate your account`,
    );
    expect(s.veto).toBe('slot');
    expect(same(`${template}Hello there`, `${template.replace('French', 'German')}Hello there`).veto).toBe('entity');
  });

  it('reaches F1 >= 0.9 on the tuning bank with no false match', () => {
    const q = pairQuality(INTENTS, 0.6);
    expect(q.falseMatches).toEqual([]);
    expect(q.f1).toBeGreaterThanOrEqual(0.9);
  });
});

describe('detectRedundantCalls', () => {
  it('finds an exact duplicate and saves the repeat', () => {
    const a = call({ user: 'Classify this ticket: refund for INV-4411', output: 'billing', temperature: 0 });
    const b = call({ user: 'Classify this ticket: refund for INV-4411', output: 'billing', temperature: 0 });
    const other = call({ user: 'Classify this ticket: app crashes on iOS 18', output: 'technical', temperature: 0 });
    const { findings } = detectRedundantCalls(context(run([a, b, other])));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'redundant_call', subkind: 'exact', spanIds: [a.spanId, b.spanId] });
    expect([...findings[0]!.savingBySpan]).toEqual([[b.spanId, b.costUSD]]);
  });

  it('never calls deliberate sampling, failed or truncated calls duplicates', () => {
    const ask = 'Solve step by step: 240 km in 3 h then 180 km in 2 h, average speed?';
    const samples = [0, 1, 2].map(() => call({ user: ask, temperature: 0.9, output: '84' }));
    const failed = call({ user: 'Summarize the Q3 report', error: '500', temperature: 0 });
    const retry = call({ user: 'Summarize the Q3 report', temperature: 0 });
    const cut = call({ user: 'List all invoices', finish: 'length', temperature: 0 });
    const again = call({ user: 'List all invoices', temperature: 0 });
    // Cut off at the output limit, as Anthropic, OpenAI's Responses API and Gemini say it.
    const cutOff = ['max_tokens', 'max_output_tokens', 'MAX_TOKENS'].flatMap((finish, i) => [
      call({ user: `Draft reply ${i}`, finish, temperature: 0 }),
      call({ user: `Draft reply ${i}`, temperature: 0 }),
    ]);
    const { findings } = detectRedundantCalls(context(run([...samples, failed, retry, cut, again, ...cutOff])));
    expect(findings).toEqual([]);
  });

  it('finds a reworded duplicate between agents and keeps templated requests apart', () => {
    const sys = 'You are a professional translator. Keep placeholders unchanged.';
    const t = (lang: string, s: string) =>
      `Translate the following text to ${lang}. Keep placeholders unchanged.\n\nText: ${s}`;
    const sentences = [
      'Your order has shipped and will arrive within three business days.',
      'We could not process your payment. Please update your card details.',
      'Thank you for contacting support, an agent will reply shortly.',
      'The meeting has been moved to Thursday afternoon.',
    ];
    const translations = sentences.map((s) =>
      call({ system: sys, user: t('French', s), agent: 'translator', temperature: 0 }),
    );
    const german = call({ system: sys, user: t('German', sentences[0]!), agent: 'translator', temperature: 0 });
    const q1 = call({ user: 'Summarize the key findings of the Q3 revenue report.', agent: 'a', temperature: 0 });
    const q2 = call({
      user: 'Give me a summary of the main findings in the Q3 revenue report.',
      agent: 'b',
      temperature: 0,
    });
    const paws1 = call({ user: 'Find flights from Lisbon to Madrid on 2026-05-12.', agent: 'travel', temperature: 0 });
    const paws2 = call({ user: 'Find flights from Madrid to Lisbon on 2026-05-12.', agent: 'travel', temperature: 0 });
    const { findings } = detectRedundantCalls(context(run([...translations, german, q1, q2, paws1, paws2])));
    expect(findings.map((f) => [f.subkind, f.spanIds])).toEqual([['near', [q1.spanId, q2.spanId]]]);
  });

  it('does not call consecutive turns of one conversation duplicates', () => {
    const base: [string, string][] = [['user', 'Draft a reply to the customer about the delayed order 90231.']];
    const t1 = call({ messages: base, agent: 'writer', output: 'Draft 1' });
    const t2 = call({ messages: [...base, ['assistant', 'Draft 1'], ['user', 'Shorter please.']], agent: 'writer' });
    expect(detectRedundantCalls(context(run([t1, t2]))).findings).toEqual([]);
  });

  it('passes unclear pairs on to the judge as semantic candidates', () => {
    const a = call({ user: 'What are the main reasons customers churned last quarter?', agent: 'a' });
    const b = call({ user: 'Explain why clients churned last quarter and what drove it.', agent: 'b' });
    const r = detectRedundantCalls(context(run([a, b]), { nearThreshold: 0.99, semanticThreshold: 0.2 }));
    expect(r.findings).toEqual([]);
    expect(r.semanticPairs.map((p) => [p.first.spanId, p.second.spanId])).toEqual([[a.spanId, b.spanId]]);
  });
});
