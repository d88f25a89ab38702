import type { Storage } from '@kaizen/clickhouse';
import type { SeedData } from './seed-data.js';
import { insertSpanRows } from './seed-store.js';

/**
 * How the dashboard tests put spans in the store. Kept apart so the path can change in one place:
 * today contrib-exporter rows inserted into otel_traces (the genai_calls, workflow_runs and rollup
 * views fill themselves from them, as they do for any collector).
 */
export const SEEDING = 'as contrib-exporter rows';

export async function seedSpans(storage: Storage, data: SeedData): Promise<void> {
  await insertSpanRows(storage, data);
}
