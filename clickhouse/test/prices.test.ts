import { calcPrice, type MatchLogic, type Provider } from '@pydantic/genai-prices';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { libraryProviders, loadLibraryPrices, reloadPriceDictionaries } from '../src/prices/prices.loader.js';
import { matchToRegex, overrideMatchRegex } from '../src/prices/price-rules.js';
import { chTime, p, sql } from '../src/query/sql.js';
import { T } from '../src/schema/tables.js';
import type { GenaiCallRow } from '../src/schema/rows.js';
import { hexId, openTempStore, spanRow, type TempStore } from './support/index.js';

let store: TempStore;
beforeAll(async () => {
  store = await openTempStore();
});
afterAll(async () => {
  await store.close();
});

/** Model names a provider's rule should recognise: its exact names, and its prefixes with a date. */
function samples(m: MatchLogic): string[] {
  if ('equals' in m) return [m.equals];
  if ('starts_with' in m) return [m.starts_with, `${m.starts_with}-2025-06-01`];
  if ('or' in m) return m.or.flatMap(samples);
  if ('and' in m) return m.and.flatMap(samples);
  return [];
}

const USAGE = { input_tokens: 300_000, cache_read_tokens: 20_000, output_tokens: 1_000 };

describe('prices in ClickHouse', () => {
  it('price every library model the way @pydantic/genai-prices does', async () => {
    const providers: Provider[] = await libraryProviders();
    const cases: { provider: string; model: string }[] = [];
    for (const prov of providers) {
      for (const model of prov.models)
        for (const name of samples(model.match)) cases.push({ provider: prov.id, model: name });
    }
    expect(cases.length).toBeGreaterThan(1500);
    const traceId = hexId(16);
    await store.storage.insert(
      T.otelTraces,
      cases.map((c, i) =>
        spanRow({
          TraceId: traceId,
          SpanId: i.toString(16).padStart(16, '0'),
          SpanAttributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': c.provider,
            'gen_ai.request.model': c.model,
            'gen_ai.usage.input_tokens': String(USAGE.input_tokens),
            'gen_ai.usage.cache_read.input_tokens': String(USAGE.cache_read_tokens),
            'gen_ai.usage.output_tokens': String(USAGE.output_tokens),
          },
        }),
      ),
    );
    const rows = await store.storage.query<Pick<GenaiCallRow, 'SpanId' | 'PriceModel' | 'CostUSD'>>(
      sql`SELECT SpanId, PriceModel, CostUSD FROM ${store.storage.table(T.genaiCalls)} WHERE TraceId = ${p.string(traceId)}`,
    );
    const bySpan = new Map(rows.map((r) => [r.SpanId, r]));
    const now = new Date();
    const mismatches: string[] = [];
    let compared = 0;
    cases.forEach((c, i) => {
      let lib;
      try {
        lib = calcPrice(USAGE, c.model, { providerId: c.provider, timestamp: now });
      } catch {
        return; // the library refuses this usage for this model (e.g. it is not token-priced)
      }
      const row = bySpan.get(i.toString(16).padStart(16, '0'));
      if (!lib) return;
      // Time-of-day prices (off-peak discounts) are priced at the default rate by design.
      if (Array.isArray(lib.model.prices) && lib.model.prices.some((x) => x.constraint?.type === 'time_of_date'))
        return;
      compared++;
      if (
        !row ||
        row.PriceModel !== lib.model.id ||
        Math.abs(row.CostUSD - lib.total_price) > 1e-9 * Math.max(1, lib.total_price)
      ) {
        mismatches.push(
          `${c.provider}/${c.model}: library ${lib.model.id} $${lib.total_price}, ClickHouse ${row?.PriceModel} $${row?.CostUSD}`,
        );
      }
    });
    expect(compared).toBeGreaterThan(1500);
    expect(mismatches).toEqual([]);
  });

  it('lets a user override win, for the exact model and its dated variants', async () => {
    await store.storage.insert(T.modelPriceOverrides, [
      {
        Provider: 'openai',
        Model: 'gpt-4o',
        IsPattern: 0,
        MatchRegex: overrideMatchRegex('openai', 'gpt-4o', false),
        InputPerMTok: 1,
        OutputPerMTok: 2,
        CacheReadPerMTok: 0.5,
        CacheWritePerMTok: 1,
        TierThreshold: 0,
        TierInputPerMTok: 1,
        TierOutputPerMTok: 2,
        TierCacheReadPerMTok: 0.5,
        TierCacheWritePerMTok: 1,
        Note: 'negotiated',
        UpdatedAt: chTime(),
        IsDeleted: 0,
      },
    ]);
    await reloadPriceDictionaries(store.storage);
    const traceId = hexId(16);
    await store.storage.insert(
      T.otelTraces,
      ['gpt-4o', 'gpt-4o-2024-08-06', 'gpt-4o-mini'].map((model) =>
        spanRow({
          TraceId: traceId,
          SpanName: model,
          SpanAttributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'openai',
            'gen_ai.request.model': model,
            'gen_ai.usage.input_tokens': '1000000',
            'gen_ai.usage.output_tokens': '1000000',
          },
        }),
      ),
    );
    const rows = await store.storage.query<{ SpanName: string; CostUSD: number; CostSource: string }>(
      sql`SELECT SpanName, CostUSD, CostSource FROM ${store.storage.table(T.genaiCalls)} WHERE TraceId = ${p.string(traceId)} ORDER BY SpanName`,
    );
    expect(rows).toEqual([
      { SpanName: 'gpt-4o', CostUSD: 3, CostSource: 'override' },
      { SpanName: 'gpt-4o-2024-08-06', CostUSD: 3, CostSource: 'override' },
      { SpanName: 'gpt-4o-mini', CostUSD: 0.75, CostSource: 'library' },
    ]);
  });

  it('prices by the model asked for when the price table does not know the one that answered', async () => {
    const traceId = hexId(16);
    const call = (i: number, provider: string, request: string, response: string) =>
      spanRow({
        TraceId: traceId,
        SpanId: `c${i}`.padStart(16, '0'),
        SpanAttributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': provider,
          'gen_ai.request.model': request,
          'gen_ai.response.model': response,
          'gen_ai.usage.input_tokens': '1000000',
          'gen_ai.usage.output_tokens': '0',
        },
      });
    await store.storage.insert(T.otelTraces, [
      call(1, 'openai', 'gpt-4o-mini', 'gpt-4o-mini-2099-01-01'), // a snapshot newer than the library
      call(2, 'gcp.gemini', 'gemini-2.5-flash', 'gemini-2.5-flash-999'),
      call(3, 'openai', 'gpt-4o', 'gpt-4o-mini-2024-07-18'), // the answering model is known: it wins
      call(4, 'openai', 'no-such-model', 'nor-this-one'),
    ]);
    const rows = await store.storage.query<Pick<GenaiCallRow, 'SpanId' | 'PriceModel' | 'CostSource' | 'CostUSD'>>(
      sql`SELECT SpanId, PriceModel, CostSource, CostUSD FROM ${store.storage.table(T.genaiCalls)}
          WHERE TraceId = ${p.string(traceId)} ORDER BY SpanId`,
    );
    const lib = (provider: string, model: string) =>
      calcPrice({ input_tokens: 1_000_000 }, model, { providerId: provider })?.total_price ?? NaN;
    expect(rows.map((r) => [r.PriceModel, r.CostSource])).toEqual([
      ['gpt-4o-mini', 'library'],
      ['gemini-2.5-flash', 'library'],
      ['gpt-4o-mini', 'library'],
      ['', 'unpriced'],
    ]);
    expect(rows[0]!.CostUSD).toBeCloseTo(lib('openai', 'gpt-4o-mini'), 9);
    expect(rows[1]!.CostUSD).toBeCloseTo(lib('google', 'gemini-2.5-flash'), 9);
    expect(rows[3]!.CostUSD).toBe(0);
  });

  it('reloads nothing when the same library data is already loaded', async () => {
    const again = await loadLibraryPrices(store.storage);
    expect(again.unchanged).toBe(true);
    const forced = await loadLibraryPrices(store.storage, { force: true });
    expect(forced.unchanged).toBe(false);
    expect(forced.skipped).toEqual([]);
  });
});

describe('match logic → regex', () => {
  it.each([
    [{ equals: 'GPT-4o' }, 'gpt-4o$', ''],
    [{ starts_with: 'claude-3.5' }, 'claude-3\\.5', ''],
    [{ or: [{ equals: 'a' }, { contains: 'b+' }] }, '(?:a$|.*b\\+)', ''],
    [{ regex: '^o[134]' }, 'o[134]', ''],
    [
      { and: [{ starts_with: 'gemini-2.5-pro' }, { regex: '^(?!.*-[tT][tT][sS](?:$|-))' }] },
      'gemini-2\\.5-pro',
      '(?:^(?:.*-[tt][tt][ss](?:$|-)))',
    ],
  ] as [MatchLogic, string, string][])('%j', (m, pattern, exclude) => {
    expect(matchToRegex(m)).toEqual({ pattern, exclude });
  });

  it('refuses look-arounds it cannot express', () => {
    expect(() => matchToRegex({ regex: 'a(?=b)' })).toThrow(/look-around/);
  });

  it('builds override rules that tolerate date suffixes and escape the name', () => {
    const rx = new RegExp(overrideMatchRegex('openai', 'ft:gpt-4o.x', false));
    expect(rx.test('openai/ft:gpt-4o.x')).toBe(true);
    expect(rx.test('openai/ft:gpt-4o.x-2025-01-31')).toBe(true);
    expect(rx.test('openai/ft:gpt-4oax')).toBe(false);
    expect(new RegExp(overrideMatchRegex('*', 'llama-3.*', true)).test('groq/llama-3.3-70b')).toBe(true);
  });
});
