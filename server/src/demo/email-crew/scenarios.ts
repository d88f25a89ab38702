import { hash32, Seeded } from '../seeded.js';

/**
 * What each workflow run is like. Waste in a real app comes at rates, not everywhere: the traits
 * are dealt from decks of 20 runs (14 customer emails, 6 chats) holding each trait a fixed number
 * of times, so every 20 consecutive runs show every kind of waste and plenty of clean steps, in a
 * shuffled, seeded order.
 */

export interface EmailRun {
  readonly kind: 'email';
  readonly seed: number;
  /** The email names an order: the drafter gets the lookup_order tool. */
  readonly withOrder: boolean;
  /** The order is still pending at the carrier: the tool keeps saying "check again later". */
  readonly pendingOrder: boolean;
  /** The escalation check runs the router again on the same email (an exact duplicate). */
  readonly duplicateRouting: boolean;
  /** The drafter asks for its own summary of the email, in other words (a near duplicate). */
  readonly reSummarize: boolean;
  /** A business customer: the priority classifier (with its oversized few-shot block) runs. */
  readonly businessTier: boolean;
  /** A vague email: the knowledge-base search (no relevance cut-off) returns four articles, not one. */
  readonly broadSearch: boolean;
  /** A long case: the CRM note does not fit its max_tokens and is retried with more room. */
  readonly longCase: boolean;
}

export interface ChatRun {
  readonly kind: 'chat';
  readonly seed: number;
  /** Turns of the conversation (each resends the whole history). */
  readonly turns: number;
}

export type RunScenario = EmailRun | ChatRun;

export const DECK_SIZE = 20;
const EMAILS = 14;

/** How many of a deck's 14 email runs have each trait. */
const EMAIL_TRAITS = {
  withOrder: 7,
  duplicateRouting: 2,
  reSummarize: 2,
  businessTier: 5,
  broadSearch: 7,
  longCase: 3,
} as const;
const PENDING_ORDERS = 2;
const CHAT_TURNS = [2, 3, 3, 4, 6, 8] as const;

function dealt(rng: Seeded, n: number, count: number): boolean[] {
  return rng.shuffle(Array.from({ length: count }, (_, i) => i < n));
}

function deck(rng: Seeded): RunScenario[] {
  const traits = Object.fromEntries(Object.entries(EMAIL_TRAITS).map(([k, n]) => [k, dealt(rng, n, EMAILS)])) as Record<
    keyof typeof EMAIL_TRAITS,
    boolean[]
  >;
  const ordered = traits.withOrder.flatMap((w, i) => (w ? [i] : []));
  const pending = new Set(rng.shuffle(ordered).slice(0, PENDING_ORDERS));
  const emails: RunScenario[] = Array.from({ length: EMAILS }, (_, i) => ({
    kind: 'email',
    seed: rng.int(0, 2 ** 31),
    withOrder: traits.withOrder[i]!,
    pendingOrder: pending.has(i),
    duplicateRouting: traits.duplicateRouting[i]!,
    reSummarize: traits.reSummarize[i]!,
    businessTier: traits.businessTier[i]!,
    broadSearch: traits.broadSearch[i]!,
    longCase: traits.longCase[i]!,
  }));
  const chats: RunScenario[] = CHAT_TURNS.map((turns) => ({ kind: 'chat', seed: rng.int(0, 2 ** 31), turns }));
  return rng.shuffle([...emails, ...chats]);
}

/** The first `runs` scenarios for a seed: the same list on every machine. */
export function scenarios(runs: number, seed: number): RunScenario[] {
  const rng = new Seeded(hash32(seed, 'scenarios'));
  const out: RunScenario[] = [];
  while (out.length < runs) out.push(...deck(rng));
  return out.slice(0, runs);
}
