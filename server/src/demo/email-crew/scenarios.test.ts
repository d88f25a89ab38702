import { describe, expect, it } from 'vitest';
import { DECK_SIZE, scenarios, type EmailRun } from './scenarios.js';

describe('demo scenarios', () => {
  it('deals every trait a fixed number of times in each deck of 20 runs', () => {
    const list = scenarios(DECK_SIZE * 3, 42);
    for (let d = 0; d < 3; d++) {
      const deck = list.slice(d * DECK_SIZE, (d + 1) * DECK_SIZE);
      const emails = deck.filter((r): r is EmailRun => r.kind === 'email');
      const count = (k: keyof EmailRun) => emails.filter((e) => e[k] === true).length;
      expect(emails).toHaveLength(14);
      expect(count('withOrder')).toBe(7);
      expect(count('pendingOrder')).toBe(2);
      expect(emails.every((e) => !e.pendingOrder || e.withOrder)).toBe(true);
      expect(count('duplicateRouting')).toBe(2);
      expect(count('reSummarize')).toBe(2);
      expect(count('businessTier')).toBe(5);
      expect(count('longCase')).toBe(3);
      const chats = deck.flatMap((r) => (r.kind === 'chat' ? [r.turns] : []));
      expect(chats.sort()).toEqual([2, 3, 3, 4, 6, 8]);
    }
  });

  it('is the same list for the same seed, another for another seed', () => {
    expect(scenarios(25, 7)).toEqual(scenarios(25, 7));
    expect(scenarios(25, 7)).not.toEqual(scenarios(25, 8));
    expect(scenarios(25, 7)).toHaveLength(25);
  });
});
