import { describe, expect, it } from 'vitest';
import { normalCdf, proportionGreaterP } from './statistics.js';

describe('statistics', () => {
  it('computes the normal CDF to 1e-6', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-2.326348)).toBeCloseTo(0.01, 6);
    expect(normalCdf(8)).toBeCloseTo(1, 12);
  });

  it('tests "rate 0 is greater" one-sided', () => {
    // 30 % vs 10 % of 100: z ≈ 3.54, one-sided p ≈ 0.0002.
    expect(proportionGreaterP(30, 100, 10, 100)).toBeCloseTo(0.000203, 5);
    expect(proportionGreaterP(10, 100, 30, 100)).toBeGreaterThan(0.99);
    expect(proportionGreaterP(0, 0, 1, 10)).toBe(1);
    expect(proportionGreaterP(5, 10, 0, 10)).toBeLessThan(0.01);
  });
});
