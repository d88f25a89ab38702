import type { CorpusModelCall } from '../corpus.types.js';
import type { Rng } from '../prng.js';
import { LANGUAGES, SENTENCES } from '../texts/fixtures.js';
import type { TraceBuilder } from '../trace-builder.js';
import { duplicateLabel, examplesLabel, overkillLabel, retryLabel } from './truth.js';

/**
 * Batch-style workflows: a translation fan-out built from one template (templated prompts that
 * must never be called duplicates, plus a real duplicate sometimes), self-consistency sampling at
 * high temperature (identical calls on purpose), and invoice extraction (model overkill, a
 * truncated answer retried, a 503 retried, an oversized few-shot block).
 */

const TRANSLATOR =
  'You are a professional translator. Keep placeholders such as {name} unchanged and preserve the tone.';

function translatePrompt(lang: string, sentence: string): string {
  return `Translate the following text to ${lang}. Keep placeholders unchanged.\n\nText: ${sentence}`;
}

export function docTranslation(b: TraceBuilder, rng: Rng): void {
  const sentences = rng.sample(SENTENCES, 12);
  const main = rng.pick(LANGUAGES.slice(0, 2));
  const distinct: CorpusModelCall[] = [];
  const langs: string[] = [];
  sentences.forEach((sentence, i) => {
    const lang = i % 4 === 3 ? rng.pick(LANGUAGES.filter((l) => l !== main)) : main;
    langs.push(lang);
    distinct.push(
      b.call({
        agent: 'translator',
        provider: 'openai',
        model: 'gpt-4o-mini',
        system: TRANSLATOR,
        messages: [{ role: 'user', content: translatePrompt(lang, sentence) }],
        output: `[${lang}] ${sentence}`,
        temperature: 0,
        parallel: i % 3 !== 0,
      }),
    );
  });
  // The same sentence into a second language is a different request too.
  const other = LANGUAGES.find((l) => l !== main)!;
  distinct.push(
    b.call({
      agent: 'translator',
      provider: 'openai',
      model: 'gpt-4o-mini',
      system: TRANSLATOR,
      messages: [{ role: 'user', content: translatePrompt(other, sentences[0]!) }],
      output: `[${other}] ${sentences[0]!}`,
      temperature: 0,
    }),
  );
  b.trap({
    kind: 'redundant_call',
    subkind: '',
    spanIds: distinct.map((c) => c.spanId),
    note: 'one template, different slot values',
  });
  if (rng.chance(0.5)) {
    const again = b.call({
      agent: 'translator',
      provider: 'openai',
      model: 'gpt-4o-mini',
      system: TRANSLATOR,
      messages: [{ role: 'user', content: translatePrompt(main, sentences[1]!) }],
      output: `[${main}] ${sentences[1]!}`,
      temperature: 0,
    });
    b.label(duplicateLabel('exact', [distinct[1]!, again], 'a sentence translated twice'));
  }
  if (rng.chance(0.5)) {
    // A second step asks for the same translation with reworded instructions.
    const sentence = sentences[2]!;
    const reworded = b.call({
      agent: 'reviewer',
      provider: 'openai',
      model: 'gpt-4o-mini',
      system: TRANSLATOR,
      messages: [
        {
          role: 'user',
          content: `Please translate this text into ${langs[2]!}, keeping placeholders unchanged:\n\n${sentence}`,
        },
      ],
      output: distinct[2]!.output,
      temperature: 0,
    });
    b.label(duplicateLabel('near', [distinct[2]!, reworded], 'the same translation asked in other words'));
  }
}

const PROBLEMS = [
  'A train travels 240 km in 3 hours and then 180 km in 2 hours. What is its average speed for the whole trip?',
  'A shop sells pens at 3 for 2 dollars. How much do 27 pens cost?',
  'The sum of three consecutive even numbers is 78. What is the largest of them?',
];

export function selfConsistency(b: TraceBuilder, rng: Rng): void {
  const problem = rng.pick(PROBLEMS);
  const samples: CorpusModelCall[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(
      b.call({
        agent: 'solver',
        provider: 'openai',
        model: 'gpt-4.1',
        system: 'You are a careful math tutor.',
        messages: [
          {
            role: 'user',
            content: `Solve the problem step by step, then give the final answer on its own line.\n\n${problem}`,
          },
        ],
        output: `Step 1: ... Step 2: ... Final answer: ${rng.pick(['84', '84', '84', '82'])}`,
        temperature: 0.9,
        parallel: i > 0,
      }),
    );
  }
  b.trap({
    kind: 'redundant_call',
    subkind: '',
    spanIds: samples.map((c) => c.spanId),
    note: 'self-consistency sampling at temperature 0.9',
  });
  b.call({
    agent: 'aggregator',
    provider: 'openai',
    model: 'gpt-4.1-mini',
    messages: [
      {
        role: 'user',
        content: `Five candidate answers: ${samples.map((s) => s.output.slice(-2)).join(', ')}. Which answer is most common? Reply with the number only.`,
      },
    ],
    output: '84',
    temperature: 0,
  });
}

const EXAMPLES = Array.from({ length: 10 }, (_, i) => {
  const items = [
    'Dell XPS 13 laptop',
    'Office chair ergonomic',
    'AWS EC2 usage March',
    'Team lunch catering',
    'Adobe Creative Cloud seat',
    'Printer paper A4 box',
    'Flight LHR-JFK economy',
    'Zoom Business annual',
    'USB-C docking station',
    'Hotel Berlin 2 nights',
  ];
  const cats = [
    'hardware',
    'furniture',
    'cloud',
    'meals',
    'software',
    'supplies',
    'travel',
    'software',
    'hardware',
    'travel',
  ];
  return `Example ${i + 1}:\nInput: ${items[i]!}\nOutput: ${cats[i]!}`;
}).join('\n\n');

function invoiceText(rng: Rng): string {
  const n = rng.int(1000, 9999);
  const lines = Array.from(
    { length: rng.int(4, 8) },
    (_, i) => `  ${i + 1}. Item ${rng.hex(2)} x${rng.int(1, 9)} @ ${rng.int(10, 900)}.00 EUR`,
  );
  return `INVOICE INV-${n}\nDate: 2026-0${rng.int(1, 9)}-1${rng.int(0, 9)}\nBill to: Globex GmbH, Berlin\n${lines.join('\n')}\nTotal: ${rng.int(500, 9000)}.00 EUR\nPayment terms: 30 days`;
}

export function invoiceExtraction(b: TraceBuilder, rng: Rng): void {
  const extractions: CorpusModelCall[] = [];
  for (let i = 0; i < 3; i++) {
    extractions.push(
      b.call({
        agent: 'extractor',
        provider: 'gcp.gemini',
        model: 'gemini-2.5-pro',
        messages: [
          {
            role: 'user',
            content: `Extract the invoice number, date, total and currency as JSON from this invoice:\n\n${invoiceText(rng)}`,
          },
        ],
        output: `{"number":"INV-${rng.int(1000, 9999)}","date":"2026-03-14","total":${rng.int(500, 9000)},"currency":"EUR"}`,
        outputType: 'json',
        temperature: 0,
      }),
    );
  }
  b.label(overkillLabel(extractions, 'gemini-2.5-flash', 'JSON extraction on gemini-2.5-pro'));
  b.trap({
    kind: 'redundant_call',
    subkind: '',
    spanIds: extractions.map((c) => c.spanId),
    note: 'one template, different invoices',
  });

  const summaryPrompt = `Summarize the payment risks in these invoices for the finance team:\n\n${invoiceText(rng)}\n\n${invoiceText(rng)}`;
  const longAnswer = `Payment risk summary. ${'The supplier terms allow 30 days and two invoices exceed the approval threshold. '.repeat(8)}`;
  const cut = b.call({
    agent: 'risk-writer',
    provider: 'gcp.gemini',
    model: 'gemini-2.5-flash',
    messages: [{ role: 'user', content: summaryPrompt }],
    output: longAnswer.slice(0, 800),
    outputTokens: 200,
    maxTokens: 200,
    finishReason: 'length',
    temperature: 0,
  });
  const retry = b.call({
    agent: 'risk-writer',
    provider: 'gcp.gemini',
    model: 'gemini-2.5-flash',
    messages: [{ role: 'user', content: summaryPrompt }],
    output: longAnswer,
    maxTokens: 1000,
    temperature: 0,
  });
  b.label(retryLabel([cut], retry, 'cut off at max_tokens 200, then asked again'));

  if (rng.chance(0.5)) {
    const ask = 'List the invoices that are due within 7 days, one per line.';
    const failed = b.call({
      agent: 'scheduler',
      provider: 'gcp.gemini',
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: ask }],
      output: '',
      errorType: '503',
      temperature: 0,
    });
    b.wait(2000);
    const ok = b.call({
      agent: 'scheduler',
      provider: 'gcp.gemini',
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: ask }],
      output: 'INV-2291\nINV-4410',
      temperature: 0,
    });
    b.label(retryLabel([failed], ok, '503 then the same request again'));
  }

  const system = `Classify each expense line into one category: hardware, furniture, cloud, meals, software, supplies, travel.\n\n${EXAMPLES}`;
  const classified: CorpusModelCall[] = [];
  for (const item of ['MacBook Pro 14 M4', 'Datadog annual plan', 'Team offsite dinner']) {
    classified.push(
      b.call({
        agent: 'expense-classifier',
        provider: 'gcp.gemini',
        model: 'gemini-2.5-flash-lite',
        system,
        messages: [{ role: 'user', content: `Input: ${item}\nOutput:` }],
        output: 'hardware',
        temperature: 0,
      }),
    );
  }
  b.label(examplesLabel(classified, EXAMPLES, 10, 2, 'ten few-shot examples for a seven-way classification'));
}
