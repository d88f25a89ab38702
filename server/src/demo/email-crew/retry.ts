/**
 * The crew's own retry of failed model calls: rate limits and server errors are tried again after
 * the provider's Retry-After (capped), up to a few attempts. Each attempt is a model call of its own
 * — what Kaizen reports as retry waste when the same request fails and is sent again.
 */

const RETRYABLE = new Set([408, 409, 429, 500, 502, 503, 504, 529]);

function statusOf(e: unknown): number | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const status = (e as { status?: unknown }).status;
  if (typeof status === 'number') return status;
  const match = /\[(\d{3})\b|\b(\d{3}) (?:Too Many|Internal|Service|Bad Gateway)/.exec(
    e instanceof Error ? e.message : '',
  );
  return match ? Number(match[1] ?? match[2]) : undefined;
}

function retryAfterMs(e: unknown): number {
  const headers = (e as { headers?: unknown }).headers;
  const get = (name: string): string | null | undefined => (headers instanceof Headers ? headers.get(name) : undefined);
  const ms = Number(get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const s = Number(get('retry-after'));
  return Number.isFinite(s) && s > 0 ? s * 1000 : 50;
}

export interface RetryCounter {
  retries: number;
}

export async function withRetries<T>(call: () => Promise<T>, counter: RetryCounter, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      const status = statusOf(e);
      if (attempt >= attempts || status === undefined || !RETRYABLE.has(status)) throw e;
      counter.retries++;
      await new Promise((r) => setTimeout(r, Math.min(retryAfterMs(e), 250)));
    }
  }
}
