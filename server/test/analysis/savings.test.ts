import { describe, expect, it } from 'vitest';
import { DEFAULT_ANALYSIS_OPTIONS } from '../../src/analysis/analysis.options.js';
import type { CrossRunGroupRow } from '../../src/analysis/analysis.repository.js';
import { crossRunFindings } from '../../src/analysis/cross-run.analyzer.js';
import { runLocalDetectors } from '../../src/analysis/detectors/index.js';
import { reconcileSavings } from '../../src/analysis/findings/savings.js';
import { call, context, run } from './support/calls.js';

/** Savings you can trust: each call counted once by its best fix, projections from the run rate. */

describe('reconcileSavings', () => {
  it('counts a call once, by the fix that saves most on it, and projects per day and month', () => {
    const ask =
      'Classify the ticket into billing, technical or other. Reply with the category only.\n\nTicket: charged twice';
    const a = call({
      model: 'gpt-4.1',
      user: ask,
      output: 'billing',
      temperature: 0,
      inputTokens: 500,
      outputTokens: 2,
    });
    const b = call({
      model: 'gpt-4.1',
      user: ask,
      output: 'billing',
      temperature: 0,
      inputTokens: 500,
      outputTokens: 2,
    });
    const data = run([a, b]);
    const local = runLocalDetectors(context(data));
    expect(local.findings.map((f) => f.kind).sort()).toEqual(['model_overkill', 'redundant_call']);
    const s = reconcileSavings(local.findings, data.calls, {
      traceId: 't',
      serviceName: 's',
      workflowName: 'w',
      runsPerDay: 40,
    });
    const dup = s.findings.find((f) => f.kind === 'redundant_call')!;
    const overkill = s.findings.find((f) => f.kind === 'model_overkill')!;
    // b is saved whole by the cache; only a is saved by the smaller model (80 % of its cost).
    expect(dup.savingUSDPerRun).toBeCloseTo(b.costUSD, 10);
    expect(overkill.savingUSDPerRun).toBeCloseTo(a.costUSD * 0.8, 10);
    expect(overkill.standaloneSavingUSDPerRun).toBeCloseTo((a.costUSD + b.costUSD) * 0.8, 10);
    expect(s.savingUSDPerRun).toBeCloseTo(b.costUSD + a.costUSD * 0.8, 10);
    expect(s.costAfterUSD).toBeCloseTo(s.costBeforeUSD - s.savingUSDPerRun, 10);
    expect(s.savingUSDPerDay).toBeCloseTo(s.savingUSDPerRun * 40, 8);
    expect(s.savingUSDPerMonth).toBeCloseTo(s.savingUSDPerDay * 30, 8);
    expect(dup.findingId).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('crossRunFindings', () => {
  const row = (over: Partial<CrossRunGroupRow>): CrossRunGroupRow => ({
    ServiceName: 'faq',
    WorkflowName: 'faq-bot',
    PromptHash: '123',
    Provider: 'gcp.gemini',
    RequestModel: 'gemini-2.5-flash',
    PriceModel: 'gemini-2.5-flash',
    Calls: '10',
    Runs: '10',
    Answers: '1',
    CostUSD: 0.01,
    FirstSeen: '2026-01-01 00:00:00.000000000',
    LastSeen: '2026-01-02 00:00:00.000000000',
    SpanIds: ['a', 'b'],
    TraceIds: ['t1', 't2'],
    MaxTemperature: 0,
    SamplePrompt: '[]',
    ...over,
  });
  const range = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-03T00:00:00Z') };

  it('recommends a response cache for a request answered identically across runs', () => {
    const [f] = crossRunFindings(
      [row({})],
      [{ ServiceName: 'faq', WorkflowName: 'faq-bot', Runs: '20' }],
      range,
      DEFAULT_ANALYSIS_OPTIONS,
    );
    expect(f).toMatchObject({ scope: 'cross_run', traceId: '', kind: 'redundant_call', subkind: 'exact' });
    // 9 of 10 calls served from cache: $0.009 over 2 days.
    expect(f!.savingUSDPerDay).toBeCloseTo(0.0045, 10);
    expect(f!.savingUSDPerRun).toBeCloseTo(0.009 / 20, 10);
    expect(f!.evidenceData).toMatchObject({ cacheHits: 9, calls: 10, runs: 10 });
  });

  it('leaves requests with different answers and sampling calls alone', () => {
    expect(
      crossRunFindings([row({ Answers: '3' }), row({ MaxTemperature: 1 })], [], range, DEFAULT_ANALYSIS_OPTIONS),
    ).toEqual([]);
  });
});
