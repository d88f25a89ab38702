import type { CorpusModelCall } from '../corpus.types.js';
import type { Rng } from '../prng.js';
import { instructions } from '../texts/fixtures.js';
import type { Intent } from '../texts/paraphrases.js';
import { tokensOfText, type TraceBuilder } from '../trace-builder.js';
import { paraphraseStep } from './paraphrase-step.js';

/**
 * faq-bot (service faq, Gemini): a router, an answerer that gets the same common question in most
 * runs with the same answer (cross-run cacheability), a travel helper asked about opposite routes
 * (a PAWS-style trap), and a paraphrase step. report-writer (service reports, OpenAI): a clean
 * workflow — open-ended writing on a large model, a system prompt that is cached, a status poll
 * whose result changes (not a loop), distinct tool arguments.
 */

const FAQ = [
  'Opening hours: Monday to Friday, 09:00-18:00 CET. Closed on public holidays.',
  'Returns: items can be returned within 30 days of delivery for a full refund.',
  'Shipping: standard delivery takes 3-5 business days inside the EU.',
  'Payment: we accept cards, PayPal and bank transfer for business accounts.',
  'Warranty: electronics carry a two-year manufacturer warranty.',
  'Gift cards: gift cards are valid for three years and cannot be exchanged for cash.',
].join('\n');

export const COMMON_QUESTION = 'What are your opening hours?';
const OTHER_QUESTIONS = ['Do you ship to Norway?', 'Can I pay by invoice?', 'How long is the warranty on headphones?'];
const ROUTES = [
  ['Lisbon', 'Madrid'],
  ['Oslo', 'Stockholm'],
  ['Vienna', 'Prague'],
  ['Dublin', 'Edinburgh'],
] as const;

export function faqBot(b: TraceBuilder, rng: Rng, intents: readonly Intent[]): void {
  const common = rng.chance(0.75);
  const question = common ? COMMON_QUESTION : rng.pick(OTHER_QUESTIONS);
  b.call({
    agent: 'router',
    provider: 'gcp.gemini',
    model: 'gemini-2.5-flash-lite',
    messages: [
      {
        role: 'user',
        content: `Route this message to one of: faq, billing, human. Reply with the route only.\n\nMessage: ${question}`,
      },
    ],
    output: 'faq',
    temperature: 0,
  });
  b.call({
    agent: 'answerer',
    provider: 'gcp.gemini',
    model: 'gemini-2.5-flash',
    system: `Answer customer questions using only this FAQ.\n\n${FAQ}`,
    messages: [{ role: 'user', content: `Question: ${question}` }],
    output: common
      ? 'We are open Monday to Friday from 09:00 to 18:00 CET, except on public holidays.'
      : 'Please see our FAQ.',
    temperature: 0,
  });

  const [from, to] = rng.pick(ROUTES);
  const date = `2026-0${rng.int(4, 9)}-${rng.int(10, 28)}`;
  const outbound = b.call({
    agent: 'travel-helper',
    provider: 'gcp.gemini',
    model: 'gemini-2.5-flash-lite',
    messages: [{ role: 'user', content: `Find flights from ${from} to ${to} on ${date}.` }],
    output: `3 flights from ${from} to ${to}.`,
    temperature: 0,
  });
  const inbound = b.call({
    agent: 'travel-helper',
    provider: 'gcp.gemini',
    model: 'gemini-2.5-flash-lite',
    messages: [{ role: 'user', content: `Find flights from ${to} to ${from} on ${date}.` }],
    output: `2 flights from ${to} to ${from}.`,
    temperature: 0,
  });
  b.trap({
    kind: 'redundant_call',
    subkind: '',
    spanIds: [outbound.spanId, inbound.spanId],
    note: 'opposite routes (PAWS-style)',
  });

  paraphraseStep(
    b,
    rng,
    intents,
    ['intake', 'resolver'],
    { provider: 'gcp.gemini', model: 'gemini-2.5-flash-lite' },
    'Answer in one sentence.',
  );
}

const TOPICS = [
  'cloud cost governance',
  'a customer onboarding redesign',
  'the 2026 hiring plan',
  'data retention policy',
];

export function reportWriter(b: TraceBuilder, rng: Rng): void {
  const topic = rng.pick(TOPICS);
  const system = instructions(rng, 'a senior analyst writing internal reports', 60);
  const prefix = tokensOfText(system) + 3;
  const calls: CorpusModelCall[] = [];
  calls.push(
    b.call({
      agent: 'writer',
      provider: 'openai',
      model: 'gpt-4.1',
      system,
      messages: [{ role: 'user', content: `Write a detailed outline for a report on ${topic}, with four sections.` }],
      output:
        `Outline for ${topic}: 1. Context and goals. 2. Current state and costs. 3. Options with trade-offs. 4. Recommendation and plan. `.repeat(
          3,
        ),
      temperature: 0.4,
    }),
  );
  const job = rng.hex(4);
  b.tool('writer', 'start_export', JSON.stringify({ report: topic }), JSON.stringify({ job }));
  for (const [k, title] of ['Context and goals', 'Current state and costs', 'Options with trade-offs'].entries()) {
    b.tool(
      'writer',
      'fetch_section_template',
      JSON.stringify({ section: k + 1 }),
      `Template for section ${k + 1}: heading, three paragraphs, one table.`,
    );
    calls.push(
      b.call({
        agent: 'writer',
        provider: 'openai',
        model: 'gpt-4.1',
        system,
        messages: [
          {
            role: 'user',
            content: `Write section ${k + 1} (${title}) of the report on ${topic}. Follow the outline and explain the trade-offs.`,
          },
        ],
        output: `Section ${k + 1}: ${title}. `.concat(
          'The analysis weighs cost, risk and time to value for each option. '.repeat(6),
        ),
        temperature: 0.4,
        cacheReadTokens: prefix,
      }),
    );
  }
  const polls = [
    '{"status":"running","progress":10}',
    '{"status":"running","progress":55}',
    '{"status":"done","progress":100}',
  ];
  const pollIds = polls.map((result) => {
    b.wait(3000);
    return b.tool('writer', 'export_status', JSON.stringify({ job }), result).spanId;
  });
  b.trap({ kind: 'agent_loop', subkind: '', spanIds: pollIds, note: 'a poll whose result changes is progress' });
  b.trap({
    kind: 'prompt_bloat',
    subkind: 'uncached_prefix',
    spanIds: calls.map((c) => c.spanId),
    note: 'the prefix is cached',
  });
  b.trap({ kind: 'model_overkill', subkind: '', spanIds: calls.map((c) => c.spanId), note: 'open-ended writing' });
}
