import { p, sql, T } from '@kaizen/clickhouse';
import { hexId, openTempStore, spanRow, type TempStore } from '@kaizen/clickhouse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  corpusSpans,
  generateCorpus,
  insertSpanRows,
  type Corpus,
  type CorpusTrace,
} from '../../src/analysis/corpus/index.js';
import { createAnalysisEngine, TraceNotFoundError, type AnalysisEngine } from '../../src/analysis/index.js';

/**
 * The engine against embedded ClickHouse: corpus runs written as the contrib exporter writes spans,
 * the genai_calls view filling from them, findings and analyses written back, re-analysis replacing
 * rather than duplicating, content from log events, findings across runs.
 */

let store: TempStore;
let corpus: Corpus;
let engine: AnalysisEngine;
const insights = new Map<string, number>();
const done: string[] = [];

beforeAll(async () => {
  store = await openTempStore();
  corpus = generateCorpus({
    seed: 11,
    runsPerWorkflow: 3,
    days: 2,
    workflows: ['support-triage', 'research-assistant', 'faq-bot', 'invoice-extraction'],
  });
  await insertSpanRows(store.storage, corpus.traces.flatMap(corpusSpans));
  engine = createAnalysisEngine({
    storage: store.storage,
    hooks: {
      onInsights: (kind, n) => insights.set(kind, (insights.get(kind) ?? 0) + n),
      onAnalysis: (e) => done.push(`${e.trigger}:${e.status}`),
    },
  });
});
afterAll(async () => {
  await store?.close();
});

const traceOf = (workflow: string, i = 0): CorpusTrace => corpus.traces.filter((t) => t.workflowName === workflow)[i]!;

async function liveFindings(traceId: string) {
  return store.storage.query<{ FindingId: string; Kind: string; Subkind: string; Version: string }>(
    sql`SELECT FindingId, Kind, Subkind, Version FROM ${store.storage.table(T.wasteFindings)} FINAL
        WHERE TraceId = ${p.string(traceId)} AND IsDeleted = 0 ORDER BY FindingId`,
  );
}

describe('analyzeTrace', () => {
  it('finds the labelled waste of a run and writes findings and the analysis', async () => {
    const trace = traceOf('research-assistant');
    const a = await engine.analyzeTrace(trace.traceId, { trigger: 'cli' });
    const kinds = a.findings.map((f) => `${f.kind}/${f.subkind}`).sort();
    // Paraphrase recall is measured by the quality benchmark; every other labelled waste is found here.
    for (const l of trace.labels.filter((x) => x.subkind !== 'near')) expect(kinds).toContain(`${l.kind}/${l.subkind}`);
    for (const t of trace.traps) {
      expect(
        a.findings.filter((f) => f.kind === t.kind && t.spanIds.filter((s) => f.spanIds.includes(s)).length >= 2),
      ).toEqual([]);
    }
    expect(a.judge.status).toBe('skipped_no_key');
    expect(a.costAfterUSD).toBeCloseTo(a.costBeforeUSD - a.savingUSDPerRun, 8);
    // Three runs spread over two days: the projection uses that rate, not a guess.
    expect(a.runsPerDay).toBeGreaterThan(1);
    expect(a.runsPerDay).toBeLessThan(2);
    for (const f of a.findings) {
      expect(f.spanIds.length).toBeGreaterThan(0);
      if (f.savingUSDPerRun > 0)
        expect(f.savingUSDPerMonth / (f.savingUSDPerRun * a.runsPerDay * 30)).toBeCloseTo(1, 3);
      expect(f.detectedBy).toBe('local');
    }
    const stored = await engine.getAnalysis(trace.traceId);
    expect(stored?.analysis).toMatchObject({
      Status: 'done',
      Trigger: 'cli',
      JudgeStatus: 'skipped_no_key',
      Findings: a.findings.length,
    });
    expect(stored?.findings.map((f) => f.findingId).sort()).toEqual(a.findings.map((f) => f.findingId).sort());
    expect(done).toContain('cli:done');
    expect(insights.get('agent_loop')).toBeGreaterThan(0);
  });

  it('replaces its results when a trace is analysed again, and tombstones findings that no longer hold', async () => {
    const trace = traceOf('support-triage');
    const first = await engine.analyzeTrace(trace.traceId);
    const second = await engine.analyzeTrace(trace.traceId);
    expect(second.findings.map((f) => f.findingId).sort()).toEqual(first.findings.map((f) => f.findingId).sort());
    const live = await liveFindings(trace.traceId);
    expect(live).toHaveLength(second.findings.length);
    expect(live.some((r) => r.Kind === 'model_overkill')).toBe(true);

    // The same trace analysed with model overkill switched off: that finding is gone, nothing doubles.
    const strict = createAnalysisEngine({ storage: store.storage, options: { shortOutputTokens: 0 } });
    const third = await strict.analyzeTrace(trace.traceId);
    const after = await liveFindings(trace.traceId);
    expect(after.map((r) => r.FindingId).sort()).toEqual(third.findings.map((f) => f.findingId).sort());
    expect(after.some((r) => r.Kind === 'model_overkill')).toBe(false);
    const [analyses] = await store.storage.query<{ n: string }>(
      sql`SELECT count() AS n FROM ${store.storage.table(T.analyses)} FINAL WHERE TraceId = ${p.string(trace.traceId)}`,
    );
    expect(analyses?.n).toBe('1');
  });

  it('reads content that arrived as log events and fingerprints it like the view does', async () => {
    const traceId = hexId(16);
    const start = Date.now() - 3600_000;
    const spans = [0, 1].map((i) => ({
      id: hexId(8),
      row: (id: string) =>
        spanRow({
          TraceId: traceId,
          SpanId: id,
          Timestamp: `${Math.floor((start + i * 5000) / 1000)}.000000000`,
          SpanName: 'chat gpt-4o-mini',
          ScopeName: '@opentelemetry/instrumentation-openai',
          SpanAttributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.system': 'openai',
            'gen_ai.request.model': 'gpt-4o-mini',
            'gen_ai.usage.input_tokens': '300',
            'gen_ai.usage.output_tokens': '40',
            'gen_ai.request.temperature': '0',
          },
        }),
    }));
    await store.storage.insert(
      T.otelTraces,
      spans.map((s) => s.row(s.id)),
    );
    const log = (spanId: string, i: number, eventName: string, body: string) => ({
      Timestamp: `${Math.floor(start / 1000) + i}.000000000`,
      TraceId: traceId,
      SpanId: spanId,
      TraceFlags: 1,
      SeverityText: 'INFO',
      SeverityNumber: 9,
      ServiceName: 'test-service',
      Body: body,
      ResourceSchemaUrl: '',
      ResourceAttributes: { 'service.name': 'test-service' },
      ScopeSchemaUrl: '',
      ScopeName: '@opentelemetry/instrumentation-openai',
      ScopeVersion: '0.22.0',
      ScopeAttributes: {},
      LogAttributes: { 'event.name': eventName, 'gen_ai.system': 'openai' },
      EventName: eventName,
    });
    await store.storage.insert(
      T.otelLogs,
      spans.flatMap((s) => [
        log(s.id, 0, 'gen_ai.system.message', '{"content":"You sort support mail."}'),
        log(s.id, 1, 'gen_ai.user.message', '{"content":"Which team handles a refund for invoice INV-4411?"}'),
        log(s.id, 2, 'gen_ai.choice', '{"index":0,"finish_reason":"stop","message":{"content":"Billing."}}'),
      ]),
    );
    const a = await engine.analyzeTrace(traceId);
    const dup = a.findings.find((f) => f.kind === 'redundant_call');
    expect(dup).toMatchObject({ subkind: 'exact', spanIds: spans.map((s) => s.id) });
  });

  it('names a trace it cannot find', async () => {
    await expect(engine.analyzeTrace('0'.repeat(32))).rejects.toBeInstanceOf(TraceNotFoundError);
  });
});

describe('analyzeWindow', () => {
  it('recommends caching a request answered the same way across runs, and replaces it on the next pass', async () => {
    const label = corpus.crossRun.find((c) => c.workflowName === 'faq-bot')!;
    const w1 = await engine.analyzeWindow({
      service: 'faq',
      from: corpus.from,
      to: new Date(corpus.to.getTime() + 60_000),
    });
    const f = w1.findings.find((x) => label.spanIds.every((s) => x.spanIds.includes(s)));
    expect(f).toMatchObject({ scope: 'cross_run', traceId: '', kind: 'redundant_call', subkind: 'exact' });
    expect(f!.evidenceData['cacheHits']).toBe(label.spanIds.length - 1);
    const days = (corpus.to.getTime() + 60_000 - corpus.from.getTime()) / 86_400_000;
    expect(f!.savingUSDPerDay).toBeCloseTo(label.savedUSD / days, 8);

    const w2 = await engine.analyzeWindow({
      service: 'faq',
      from: corpus.from,
      to: new Date(corpus.to.getTime() + 60_000),
    });
    expect(w2.findings.map((x) => x.findingId)).toEqual(w1.findings.map((x) => x.findingId));
    const live = await engine.repository.liveFindings('', 'faq');
    expect(live).toHaveLength(w2.findings.length);
    const listed = await engine.listFindings({ since: new Date(Date.now() - 3600_000), service: 'faq' });
    expect(listed.map((x) => x.findingId)).toContain(f!.findingId);
  });
});
