import type { Rng } from '../prng.js';
import type { Intent } from '../texts/paraphrases.js';
import type { TraceBuilder } from '../trace-builder.js';
import { duplicateLabel } from './truth.js';

/**
 * A step found in many multi-agent workflows: two agents look up the same thing — asked in other
 * words (a near duplicate: labelled), or asked about something related but different (a
 * distractor: a trap). Answers are short facts.
 */
export function paraphraseStep(
  b: TraceBuilder,
  rng: Rng,
  intents: readonly Intent[],
  agents: readonly [string, string],
  model: { provider: string; model: string },
  system: string,
): void {
  const intent = rng.pick(intents);
  const [first, second] = rng.sample(intent.variants, 2) as [string, string];
  const answer = `Based on the records: ${intent.id.replace(/-/g, ' ')} — see the linked policy for details.`;
  const a = b.call({
    agent: agents[0],
    ...model,
    system,
    messages: [{ role: 'user', content: first }],
    output: answer,
    temperature: 0,
  });
  if (rng.chance(0.65)) {
    const dup = b.call({
      agent: agents[1],
      ...model,
      system,
      messages: [{ role: 'user', content: second }],
      output: answer,
      temperature: 0,
    });
    b.label(duplicateLabel('near', [a, dup], `paraphrase of ${intent.id}`));
  } else {
    const other = b.call({
      agent: agents[1],
      ...model,
      system,
      messages: [{ role: 'user', content: rng.pick(intent.distractors) }],
      output: `A different answer about a related question (${intent.id}).`,
      temperature: 0,
    });
    b.trap({
      kind: 'redundant_call',
      subkind: '',
      spanIds: [a.spanId, other.spanId],
      note: `distractor of ${intent.id}`,
    });
  }
}
