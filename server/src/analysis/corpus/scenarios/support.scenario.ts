import type { CorpusModelCall } from '../corpus.types.js';
import type { Rng } from '../prng.js';
import { instructions, kbArticle, TICKETS, unrelatedArticles } from '../texts/fixtures.js';
import type { Intent } from '../texts/paraphrases.js';
import type { TraceBuilder } from '../trace-builder.js';
import { paraphraseStep } from './paraphrase-step.js';
import { duplicateLabel, overkillLabel, unusedLabel } from './truth.js';

/**
 * support-triage (service helpdesk, OpenAI): a classifier on gpt-4.1 (model overkill), a
 * knowledge-base search, a responder whose retrieved articles are partly unrelated (unused
 * context), two agents that look up the same policy (paraphrase or distractor), and sometimes the
 * classification asked twice (exact duplicate).
 */

const OPENAI = 'openai';

function classifyPrompt(ticket: string): string {
  return (
    'Classify the following support ticket into exactly one category: billing, technical, shipping, account, other. ' +
    `Reply with the category only.\n\nTicket: ${ticket}`
  );
}

export function supportTriage(b: TraceBuilder, rng: Rng, intents: readonly Intent[]): void {
  const ticket = rng.pick(TICKETS);
  const classifierCalls: CorpusModelCall[] = [];
  const classify = () =>
    b.call({
      agent: 'classifier',
      provider: OPENAI,
      model: 'gpt-4.1',
      messages: [{ role: 'user', content: classifyPrompt(ticket.text) }],
      output: ticket.category,
      temperature: 0,
      maxTokens: 10,
    });
  const first = classify();
  classifierCalls.push(first);

  const topicTitle = `How to handle ${ticket.topic} requests`;
  b.tool(
    'kb-search',
    'kb_search',
    JSON.stringify({ query: ticket.topic, k: 5 }),
    `["kb-${ticket.topic}-1","kb-${ticket.topic}-2","kb-misc-7","kb-misc-9","kb-misc-12"]`,
  );

  const relevant = [
    kbArticle(rng, ticket.topic, 4, topicTitle),
    kbArticle(rng, ticket.topic, 3, `${ticket.topic} policy`),
  ];
  const unrelated = unrelatedArticles(rng, [6, 6, 5]);
  const docs = [...relevant, ...unrelated];
  const context = docs.map((d, i) => `[${i + 1}] ${d}`).join('\n\n');
  const system = instructions(rng, "Acme's customer support assistant", 8);
  const answer =
    `Thanks for reaching out. ${relevant[0]!.split('. ')[1] ?? ''} [1] ` +
    `${relevant[1]!.split('. ')[1] ?? ''} [2] I have opened the request for you and you will get an email confirmation.`;
  const responder = b.call({
    agent: 'responder',
    provider: OPENAI,
    model: 'gpt-4.1',
    system,
    messages: [
      {
        role: 'user',
        content: `Answer the customer using the knowledge base articles below.\n\n${context}\n\nTicket: ${ticket.text}\n\nWrite a short reply.`,
      },
    ],
    output: answer,
    temperature: 0.3,
  });
  b.label(
    unusedLabel(
      [{ call: responder, unused: unrelated.map((u, i) => `[${i + 3}] ${u}`) }],
      'articles 3-5 are off topic',
    ),
  );

  paraphraseStep(
    b,
    rng,
    intents,
    ['policy-lookup', 'reply-drafter'],
    { provider: OPENAI, model: 'gpt-4.1-mini' },
    'Answer from the policy handbook.',
  );

  if (rng.chance(0.5)) {
    // The escalation step classifies the same ticket again with the very same request.
    const again = classify();
    classifierCalls.push(again);
    b.label(duplicateLabel('exact', [first, again], 'classification asked twice'));
  }
  b.label(overkillLabel(classifierCalls, 'gpt-4.1-mini', 'one-word classification on gpt-4.1'));
}
