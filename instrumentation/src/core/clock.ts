import type { HrTime } from '@opentelemetry/api';

/**
 * One clock for every span Kaizen makes: wall-clock time with performance.now()'s sub-millisecond
 * resolution. performance.now() alone drifts from the wall clock in long-running processes (and the
 * SDK's own spans start at Date.now()); Date.now() alone has millisecond resolution, which can order
 * a tool span after the model call that followed it. So the clock is performance.now() plus an
 * offset, re-anchored when it strays more than a millisecond from Date.now() (real drift, not the
 * rounding of Date.now()), and it never goes back.
 */
let offset = Date.now() - performance.now() + 0.5;
let last = 0;

/** Milliseconds since the epoch, with a fraction. */
export function nowMs(): number {
  const perf = performance.now();
  const wall = Date.now();
  let t = offset + perf;
  if (t < wall - 1 || t >= wall + 2) {
    offset = wall + 0.5 - perf;
    t = offset + perf;
  }
  if (t < last) t = last;
  last = t;
  return t;
}

/** A time from nowMs() as OpenTelemetry's [seconds, nanoseconds]. */
export function hrTimeOf(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.min(Math.round((ms - seconds * 1000) * 1e6), 999_999_999)];
}
