import type { TimeRange } from '../common/time-range.js';
import type { PricesRepository } from '../prices/prices.repository.js';
import { toPrice, type Price } from '../prices/prices.service.js';
import type { ModelsRepository } from './models.repository.js';

export interface ModelUsage {
  provider: string;
  model: string;
  priceModel: string | null;
  costSource: string;
  calls: number;
  errors: number;
  tokens: { input: number; output: number; cacheRead: number };
  costUsd: number;
  costPerCallUsd: number;
  latencyMs: { p50: number; p95: number };
  price: Price | null;
}

export class ModelsService {
  constructor(
    private readonly repo: ModelsRepository,
    private readonly prices: PricesRepository,
  ) {}

  async list(range: TimeRange, limit: number): Promise<{ items: ModelUsage[] }> {
    const rows = await this.repo.usage(range, limit);
    const priceRows = await this.prices.forModels([...new Set(rows.map((r) => r.PriceModel).filter(Boolean))]);
    const priceOf = (provider: string, model: string) =>
      priceRows.find((p) => p.Model === model && p.source === 'override') ??
      priceRows.find((p) => p.Model === model && p.Provider === provider) ??
      priceRows.find((p) => p.Model === model);
    return {
      items: rows.map((r) => {
        const calls = Number(r.calls);
        const price = r.PriceModel ? priceOf(r.Provider, r.PriceModel) : undefined;
        return {
          provider: r.Provider,
          model: r.RequestModel,
          priceModel: r.PriceModel || null,
          costSource: r.CostSource,
          calls,
          errors: Number(r.errors),
          tokens: {
            input: Number(r.inputTokens),
            output: Number(r.outputTokens),
            cacheRead: Number(r.cacheReadTokens),
          },
          costUsd: r.cost,
          costPerCallUsd: calls > 0 ? r.cost / calls : 0,
          latencyMs: { p50: r.p50Ms, p95: r.p95Ms },
          price: price ? toPrice(price) : null,
        };
      }),
    };
  }
}
