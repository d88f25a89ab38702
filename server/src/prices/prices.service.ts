import { NO_PRICES, overrideMatchRegex, UnsupportedMatchError } from '@kaizen/clickhouse';
import { decodeCursor, pageOf, type Page } from '../common/pagination.js';
import { invalid, KaizenError, notFound } from '../common/errors.js';
import type { OverrideRow, PriceRow, PricesQuery, PricesRepository } from './prices.repository.js';

export interface Price {
  source: 'library' | 'override';
  provider: string;
  model: string;
  name: string;
  isPattern: boolean;
  inputPerMTok: number;
  outputPerMTok: number;
  cacheReadPerMTok: number;
  cacheWritePerMTok: number;
  tier: {
    threshold: number;
    inputPerMTok: number;
    outputPerMTok: number;
    cacheReadPerMTok: number;
    cacheWritePerMTok: number;
  } | null;
  reasoningPerMTok: number;
  perRequestUsd: number;
  note: string;
}

export interface PriceInput {
  provider: string;
  model: string;
  isPattern?: boolean | undefined;
  inputPerMTok: number;
  outputPerMTok: number;
  cacheReadPerMTok?: number | undefined;
  cacheWritePerMTok?: number | undefined;
  tier?:
    | {
        threshold: number;
        inputPerMTok: number;
        outputPerMTok: number;
        cacheReadPerMTok?: number | undefined;
        cacheWritePerMTok?: number | undefined;
      }
    | undefined;
  reasoningPerMTok?: number | undefined;
  perRequestUsd?: number | undefined;
  note?: string | undefined;
}

export function toPrice(r: PriceRow): Price {
  const threshold = Number(r.TierThreshold);
  return {
    source: r.source === 'override' ? 'override' : 'library',
    provider: r.Provider,
    model: r.Model,
    name: r.Name,
    isPattern: r.IsPattern === 1,
    inputPerMTok: r.InputPerMTok,
    outputPerMTok: r.OutputPerMTok,
    cacheReadPerMTok: r.CacheReadPerMTok,
    cacheWritePerMTok: r.CacheWritePerMTok,
    tier:
      threshold > 0
        ? {
            threshold,
            inputPerMTok: r.TierInputPerMTok,
            outputPerMTok: r.TierOutputPerMTok,
            cacheReadPerMTok: r.TierCacheReadPerMTok,
            cacheWritePerMTok: r.TierCacheWritePerMTok,
          }
        : null,
    reasoningPerMTok: r.ReasoningPerMTok,
    perRequestUsd: r.PerRequestUSD,
    note: r.Note,
  };
}

export class PricesService {
  constructor(private readonly repo: PricesRepository) {}

  async list(q: Omit<PricesQuery, 'after'> & { cursor?: string | undefined }): Promise<Page<Price>> {
    const rows = await this.repo.list({ ...q, after: decodeCursor(q.cursor, 3) });
    const page = pageOf(rows, q.limit, (r) => [r.source, r.Provider, r.Model]);
    return { items: page.items.map(toPrice), nextCursor: page.nextCursor };
  }

  /**
   * Adds or replaces overrides. They apply to calls ingested from now on (cost is recorded at
   * ingest). A pattern ClickHouse cannot compile is rolled back and refused.
   */
  async upsert(inputs: readonly PriceInput[]): Promise<Price[]> {
    const rows = inputs.map((input, i) =>
      this.toRow(input, inputs.length > 1 ? `body field ${i}.model` : 'body field model'),
    );
    await this.repo.upsert(rows);
    const failure = await this.repo.reload();
    if (failure !== undefined) {
      await this.repo.upsert(rows, true);
      await this.repo.reload();
      throw new KaizenError(
        'KAIZEN_ERR_VALIDATION',
        `Invalid body field model: ClickHouse refused the price rule (${failure.split('\n')[0]})`,
      );
    }
    return rows.map((r) =>
      toPrice({ source: 'override', ...r, Name: r.Model, TierThreshold: String(r.TierThreshold) }),
    );
  }

  async remove(provider: string, model: string): Promise<void> {
    if (!(await this.repo.findOverride(provider, model))) throw notFound(`Price override ${provider}/${model}`);
    await this.repo.upsert(
      [
        {
          Provider: provider,
          Model: model,
          IsPattern: 0,
          MatchRegex: '',
          ...NO_PRICES,
          Note: '',
        },
      ],
      true,
    );
    await this.repo.reload();
  }

  private toRow(input: PriceInput, field: string): OverrideRow {
    let regex: string;
    try {
      regex = overrideMatchRegex(input.provider, input.model, input.isPattern ?? false);
      new RegExp(regex);
    } catch (e) {
      const why = e instanceof UnsupportedMatchError ? e.message : 'is not a valid regular expression';
      throw invalid(field, why);
    }
    const cacheRead = input.cacheReadPerMTok ?? input.inputPerMTok;
    const cacheWrite = input.cacheWritePerMTok ?? input.inputPerMTok;
    const tier = input.tier;
    return {
      Provider: input.provider,
      Model: input.model,
      IsPattern: input.isPattern ? 1 : 0,
      MatchRegex: regex,
      InputPerMTok: input.inputPerMTok,
      OutputPerMTok: input.outputPerMTok,
      CacheReadPerMTok: cacheRead,
      CacheWritePerMTok: cacheWrite,
      TierThreshold: tier?.threshold ?? 0,
      TierInputPerMTok: tier?.inputPerMTok ?? input.inputPerMTok,
      TierOutputPerMTok: tier?.outputPerMTok ?? input.outputPerMTok,
      TierCacheReadPerMTok: tier?.cacheReadPerMTok ?? tier?.inputPerMTok ?? cacheRead,
      TierCacheWritePerMTok: tier?.cacheWritePerMTok ?? tier?.inputPerMTok ?? cacheWrite,
      ReasoningPerMTok: input.reasoningPerMTok ?? input.outputPerMTok,
      PerRequestUSD: input.perRequestUsd ?? 0,
      Note: input.note ?? '',
    };
  }
}
