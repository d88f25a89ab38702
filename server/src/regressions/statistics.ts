/** Small, dependency-free statistics for the regression detector. */

/** The standard normal CDF (complementary error function, Numerical Recipes' erfc; error < 1.2e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/**
 * One-sided two-proportion z-test (pooled): the p-value of "rate 0 is greater than rate 1".
 * Returns 1 when there is nothing to test.
 */
export function proportionGreaterP(x0: number, n0: number, x1: number, n1: number): number {
  if (n0 === 0 || n1 === 0) return 1;
  const pooled = (x0 + x1) / (n0 + n1);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n0 + 1 / n1));
  if (se === 0) return x0 / n0 > x1 / n1 ? 0 : 1;
  return 1 - normalCdf((x0 / n0 - x1 / n1) / se);
}
