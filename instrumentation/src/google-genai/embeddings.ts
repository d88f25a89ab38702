import type { ModelResult } from '../core/model-call.js';
import { count, field } from '../core/read.js';

/** embedContent's response: input tokens when the backend reports them (Vertex AI's statistics). */
export function genaiUsageFromEmbeddings(response: unknown): ModelResult {
  const fromUsage = count(field(field(response, 'usageMetadata'), 'promptTokenCount'));
  let fromStats: number | undefined;
  const embeddings = field(response, 'embeddings');
  if (Array.isArray(embeddings)) {
    for (const e of embeddings) {
      const tokens = count(field(field(e, 'statistics'), 'tokenCount'));
      if (tokens !== undefined) fromStats = (fromStats ?? 0) + tokens;
    }
  }
  const input = fromUsage ?? fromStats;
  return input === undefined ? {} : { usage: { input } };
}
