import { p, sql, T } from '@kaizen/clickhouse';
import { openTempStore, type TempStore } from '@kaizen/clickhouse/testing';
import { startCollector } from '@kaizen/collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusSpans, generateCorpus, scoreQuality, type Corpus } from '../../src/analysis/corpus/index.js';
import { createAnalysisEngine } from '../../src/analysis/index.js';
import { sendOtlp } from './support/otlp-sink.js';

/**
 * The labelled corpus emitted as real OTLP (the official protobuf exporter) into Kaizen's collector,
 * stored by it, and analysed: the whole path a user's traffic takes.
 */

let store: TempStore;
let corpus: Corpus;

beforeAll(async () => {
  store = await openTempStore();
  corpus = generateCorpus({
    seed: 3,
    runsPerWorkflow: 1,
    workflows: ['support-triage', 'research-assistant', 'invoice-extraction'],
  });
  const collector = await startCollector({
    storage: store.storage,
    config: store.config,
    host: '127.0.0.1',
    httpPort: 0,
    grpcPort: 0,
  });
  try {
    await sendOtlp(`http://127.0.0.1:${collector.httpPort}`, corpus.traces.flatMap(corpusSpans));
  } finally {
    await collector.close(); // answers in-flight requests and writes everything acknowledged
  }
});
afterAll(async () => {
  await store?.close();
});

describe('corpus over OTLP', () => {
  it('arrives whole: every model call becomes a genai_calls row with its price', async () => {
    const ids = corpus.traces.map((t) => t.traceId);
    const [row] = await store.storage.query<{ calls: string; unpriced: string }>(
      sql`SELECT count() AS calls, countIf(CostSource = 'unpriced') AS unpriced FROM ${store.storage.table(T.genaiCalls)}
          WHERE TraceId IN ${p.strings(ids)}`,
    );
    const expected = corpus.traces.flatMap((t) => t.spans).filter((s) => s.type === 'model').length;
    expect(row).toEqual({ calls: String(expected), unpriced: '0' });
  });

  it('is analysed to its labels with no false alarm on its traps', async () => {
    const engine = createAnalysisEngine({ storage: store.storage });
    const results = [];
    for (const trace of corpus.traces) {
      const a = await engine.analyzeTrace(trace.traceId);
      results.push({ trace, findings: a.findings, estimatedSavingUSD: a.savingUSDPerRun });
    }
    const q = scoreQuality(results);
    expect(q.trapFalseAlarms).toBe(0);
    for (const [cat, s] of Object.entries(q.byCategory)) {
      if (cat === 'redundant_call/paraphrase') continue; // measured by the quality benchmark
      expect(s.fp, cat).toBe(0);
      expect(s.fn, `${cat}: ${q.missedNotes.join('; ')}`).toBe(0);
    }
    expect(q.savings.totalError).toBeLessThan(0.1);
  });
});
