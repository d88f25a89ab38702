import type { CorpusMessage, CorpusModelCall } from '../corpus.types.js';
import type { Rng } from '../prng.js';
import { instructions, researchNotes } from '../texts/fixtures.js';
import type { Intent } from '../texts/paraphrases.js';
import { tokensOfText, type TraceBuilder } from '../trace-builder.js';
import { paraphraseStep } from './paraphrase-step.js';
import { historyLabel, loopLabel, prefixLabel } from './truth.js';

/**
 * research-assistant (service research, Anthropic): a planner and a researcher sharing a large
 * system prompt with no prompt caching (uncached prefix; some runs do cache it: a trap), a
 * researcher that repeats the same web search and gets the same results (agent loop), a summary
 * conversation that resends its growing history (history growth), and a paraphrase step.
 */

const ANTHROPIC = 'anthropic';
const SONNET = 'claude-sonnet-4-5';
const SUBJECTS = ['serverless computing', 'vector databases', 'edge AI', 'platform engineering', 'FinOps'];

export function researchAssistant(b: TraceBuilder, rng: Rng, intents: readonly Intent[]): void {
  const subject = rng.pick(SUBJECTS);
  const system = instructions(rng, 'a meticulous research analyst who writes briefings for executives', 62);
  const cached = rng.chance(0.3);
  const prefix = tokensOfText(system) + 3;
  const big: CorpusModelCall[] = [];

  big.push(
    b.call({
      agent: 'planner',
      provider: ANTHROPIC,
      model: SONNET,
      system,
      messages: [{ role: 'user', content: `Plan a research briefing on ${subject}: list the questions to answer.` }],
      output: `1. Market size of ${subject}. 2. Main vendors. 3. Risks. 4. Cost drivers. 5. Recommendations for adoption.`,
      temperature: 0.2,
    }),
  );

  // Researcher: a tool loop that searches the same query four times.
  const query = `${subject} market size 2025`;
  const results = JSON.stringify([
    { title: `${subject} market report`, url: `https://example.org/${subject.replace(/ /g, '-')}` },
    { title: `State of ${subject}`, url: 'https://example.org/state' },
  ]);
  const messages: CorpusMessage[] = [
    { role: 'user', content: `Research the market size of ${subject} using web_search.` },
  ];
  const loopTools: string[] = [];
  const wasted: CorpusModelCall[] = [];
  for (let i = 0; i < 5; i++) {
    const last = i === 4;
    const call = b.call({
      agent: 'researcher',
      provider: ANTHROPIC,
      model: SONNET,
      system,
      messages: [...messages],
      output: last
        ? `The market for ${subject} is estimated at 12 billion USD in 2025.`
        : `web_search(${JSON.stringify({ query })})`,
      temperature: 0,
      ...(cached && big.length > 0 ? { cacheReadTokens: prefix } : {}),
    });
    big.push(call);
    if (i >= 2) wasted.push(call);
    if (last) break;
    loopTools.push(b.tool('researcher', 'web_search', JSON.stringify({ query }), results).spanId);
    messages.push(
      { role: 'assistant', content: `web_search(${JSON.stringify({ query })})` },
      { role: 'tool', content: results },
    );
  }
  b.label(loopLabel(loopTools, wasted, 'same search, same results, four times'));

  if (cached) {
    b.trap({
      kind: 'prompt_bloat',
      subkind: 'uncached_prefix',
      spanIds: big.map((c) => c.spanId),
      note: 'prefix already cached',
    });
  } else {
    b.label(prefixLabel(big, 'large analyst instructions resent without cache_control'));
  }

  // Summary conversation: each turn adds a section and resends everything.
  const summarySystem =
    'You turn research notes into a concise executive briefing. Keep it under 200 words per answer.';
  const conversation: CorpusMessage[] = [];
  const turns: CorpusModelCall[] = [];
  const conversationId = rng.hex(8);
  for (let t = 0; t < 8; t++) {
    conversation.push({
      role: 'user',
      content: `Section ${t + 1} notes:\n${researchNotes(rng, subject, 3)}\n\nUpdate the briefing.`,
    });
    const reply = `Briefing v${t + 1}: ${researchNotes(rng, subject, 1)}`;
    turns.push(
      b.call({
        agent: 'summarizer',
        provider: ANTHROPIC,
        model: SONNET,
        system: summarySystem,
        messages: [...conversation],
        output: reply,
        temperature: 0.3,
        conversationId,
      }),
    );
    conversation.push({ role: 'assistant', content: reply });
  }
  b.label(historyLabel(turns, 6, 'eight turns resend every previous section'));

  paraphraseStep(
    b,
    rng,
    intents,
    ['fact-checker', 'writer'],
    { provider: ANTHROPIC, model: 'claude-haiku-4-5' },
    'Answer briefly and factually.',
  );
}
