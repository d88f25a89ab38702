import type { DecodedBatch, Signal } from './decoded-batch.js';

/** Counts the items a decoder leaves out, by reason, and words the partial-success message. */
export class RejectionTally {
  private readonly reasons = new Map<string, number>();
  private total = 0;

  constructor(private readonly noun: string) {}

  reject(reason: string): void {
    this.total++;
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
  }

  batch(signal: Signal, rows: readonly string[]): DecodedBatch {
    const message = [...this.reasons].map(([reason, n]) => `${n} ${this.noun} with ${reason}`).join('; ');
    return {
      signal,
      rows: rows.length === 0 ? '' : `${rows.join('\n')}\n`,
      accepted: rows.length,
      rejected: this.total,
      rejectedReason: this.total === 0 ? '' : `${message} were rejected`,
    };
  }
}
