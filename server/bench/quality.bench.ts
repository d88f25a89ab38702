/**
 * Quality of the waste analysis on the labelled corpus, against PRODUCT.md's targets: exact
 * duplicates with no miss and no false alarm, paraphrased duplicates F1 ≥ 0.9 without any LLM,
 * templated prompts never reported as duplicates, savings within ±10 % of the truth.
 *
 *   npm run bench:quality
 *   KAIZEN_BENCH_RUNS=20 npm run bench:quality        (runs per workflow; default 10)
 *
 * The corpus (seeded multi-agent runs of seven workflows over three days, with labelled waste of
 * every kind and traps) goes out as real OTLP — the official protobuf exporter — into Kaizen's
 * collector, which stores it in embedded ClickHouse; every run is then analysed by the local
 * detectors (no judge), and each service's window by the cross-run analysis. Two corpora: one whose
 * paraphrases come from the bank the lexicon was tuned on, one whose paraphrases were written after
 * the lexicon was frozen and never used to tune it (the honest number). Paraphrase pairs are also
 * scored directly on four banks. Writes .bench/quality.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, openStorage, prepareStore, type Storage } from '@kaizen/clickhouse';
import { startCollector } from '@kaizen/collector';
import {
  CATEGORIES,
  corpusSpans,
  FRESH_INTENTS,
  generateCorpus,
  HOLDOUT_INTENTS,
  INTENTS,
  UNSEEN_INTENTS,
  pairQuality,
  scoreQuality,
  type Corpus,
  type QualityReport,
} from '../dist/analysis/corpus/index.js';
import { createAnalysisEngine } from '../dist/analysis/index.js';
import { sendOtlp } from '../test/analysis/support/otlp-sink.ts';

const RUNS = Number(process.env['KAIZEN_BENCH_RUNS'] ?? 10);
const DAYS = 3;
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

async function evaluate(storage: Storage, corpus: Corpus) {
  const engine = createAnalysisEngine({ storage });
  const results = [];
  let rateError = 0;
  for (const trace of corpus.traces) {
    const a = await engine.analyzeTrace(trace.traceId, { trigger: 'cli' });
    results.push({ trace, findings: a.findings, estimatedSavingUSD: a.savingUSDPerRun });
    const truth = corpus.runsPerDay[trace.workflowName]!;
    rateError = Math.max(rateError, Math.abs(a.runsPerDay - truth) / truth);
  }
  const quality = scoreQuality(results);
  // Across runs: each repeated request's cache finding, and its saving per day.
  const services = [...new Set(corpus.traces.map((t) => t.serviceName))];
  const to = new Date(corpus.to.getTime() + 60_000);
  const days = (to.getTime() - corpus.from.getTime()) / 86_400_000;
  let crossTp = 0;
  let crossFound = 0;
  let estPerDay = 0;
  let truePerDay = 0;
  for (const service of services) {
    const w = await engine.analyzeWindow({ service, from: corpus.from, to });
    crossFound += w.findings.length;
    for (const label of corpus.crossRun.filter((c) => c.serviceName === service)) {
      truePerDay += label.savedUSD / days;
      const f = w.findings.find((x) => label.spanIds.filter((s) => x.spanIds.includes(s)).length >= 2);
      if (!f) continue;
      crossTp++;
      estPerDay += f.savingUSDPerDay;
    }
  }
  const cross = {
    labels: corpus.crossRun.length,
    found: crossFound,
    tp: crossTp,
    fp: crossFound - crossTp,
    savingError: truePerDay === 0 ? 0 : Math.abs(estPerDay - truePerDay) / truePerDay,
  };
  return { quality, rateError, cross };
}

function printQuality(title: string, q: QualityReport): void {
  console.log(`\n${title}`);
  console.log('kind                               TP   FP   FN   precision  recall  F1');
  for (const c of CATEGORIES) {
    const s = q.byCategory[c];
    console.log(
      `${c.padEnd(34)} ${String(s.tp).padStart(3)}  ${String(s.fp).padStart(3)}  ${String(s.fn).padStart(3)}   ` +
        `${s.precision.toFixed(3).padStart(7)}  ${s.recall.toFixed(3).padStart(6)}  ${s.f1.toFixed(3)}`,
    );
  }
  console.log(`trap false alarms: ${q.trapFalseAlarms} of ${q.trapsChecked} traps`);
  for (const n of q.falseAlarmNotes) console.log(`  false alarm: ${n}`);
  console.log(
    `savings: estimated $${q.savings.estimatedUSD.toFixed(4)} vs true $${q.savings.trueUSD.toFixed(4)} per run-set — total error ` +
      `${pct(q.savings.totalError)}, median per-run error ${pct(q.savings.medianTraceError)}, ${pct(q.savings.within10)} of runs within ±10 %`,
  );
  for (const n of q.missedNotes) console.log(`  missed: ${n}`);
  for (const n of q.extraNotes) console.log(`  unlabelled finding: ${n}`);
}

const dir = mkdtempSync(join(tmpdir(), 'kaizen-bench-quality-'));
const config = loadConfig({ KAIZEN_DATA_DIR: dir, KAIZEN_LOG_LEVEL: 'warn' });
const storage = await openStorage(config.storage);
const end = new Date();
const tuned = generateCorpus({ seed: 2026, runsPerWorkflow: RUNS, days: DAYS, end, intents: INTENTS });
const fresh = generateCorpus({
  seed: 7_2026,
  runsPerWorkflow: Math.max(2, Math.round(RUNS * 0.6)),
  days: DAYS,
  end,
  intents: UNSEEN_INTENTS,
  serviceSuffix: '-b',
});
const out: Record<string, unknown> = { name: 'quality', runsPerWorkflow: RUNS };
try {
  await prepareStore(storage, {});
  const collector = await startCollector({ storage, config, host: '127.0.0.1', httpPort: 0, grpcPort: 0 });
  const spans = [...tuned.traces, ...fresh.traces].flatMap(corpusSpans);
  const t0 = performance.now();
  try {
    await sendOtlp(`http://127.0.0.1:${collector.httpPort}`, spans);
  } finally {
    await collector.close();
  }
  console.log(
    `Corpus: ${tuned.traces.length + fresh.traces.length} runs, ${spans.length} spans sent as OTLP/protobuf to the collector in ${Math.round(performance.now() - t0)} ms.`,
  );

  const a = await evaluate(storage, tuned);
  printQuality(`Corpus 1 — ${tuned.traces.length} runs, paraphrases from the tuning bank`, a.quality);
  const b = await evaluate(storage, fresh);
  printQuality(`Corpus 2 — ${fresh.traces.length} runs, paraphrases never used for tuning`, b.quality);
  for (const [name, r] of [
    ['corpus 1', a],
    ['corpus 2', b],
  ] as const) {
    console.log(
      `\nAcross runs (${name}): ${r.cross.tp} of ${r.cross.labels} repeated requests found, ${r.cross.fp} cache finding(s) without a label; ` +
        `saving per day within ${pct(r.cross.savingError)} of the truth. Run-rate estimates within ${pct(r.rateError)} of the truth.`,
    );
  }

  const banks = {
    tuning: pairQuality(INTENTS, 0.6),
    holdout1: pairQuality(HOLDOUT_INTENTS, 0.6),
    holdout2: pairQuality(FRESH_INTENTS, 0.6),
    unseen: pairQuality(UNSEEN_INTENTS, 0.6),
  };
  console.log('\nParaphrase pairs (same request reworded vs a related but different request), no LLM:');
  console.log('bank                                   pairs  TP   FN   FP   TN   precision  recall  F1');
  for (const [name, q] of Object.entries(banks)) {
    const label = {
      tuning: 'tuning bank (lexicon tuned on it)',
      holdout1: 'holdout 1 (seen, then general fixes)',
      holdout2: 'holdout 2 (seen, then vocabulary)',
      unseen: 'holdout 3 (never tuned on)',
    }[name]!;
    console.log(
      `${label.padEnd(38)} ${String(q.tp + q.fn + q.fp + q.tn).padStart(5)}  ${String(q.tp).padStart(3)}  ${String(q.fn).padStart(3)}  ` +
        `${String(q.fp).padStart(3)}  ${String(q.tn).padStart(3)}   ${q.precision.toFixed(3).padStart(7)}  ${q.recall.toFixed(3).padStart(6)}  ${q.f1.toFixed(3)}`,
    );
  }
  for (const m of banks.unseen.misses) console.log(`  holdout 3 miss: ${m}`);
  for (const m of banks.unseen.falseMatches) console.log(`  holdout 3 false match: ${m}`);

  const exact = a.quality.byCategory['redundant_call/exact'];
  const checks = {
    'exact duplicates: no miss, no false alarm':
      exact.fn === 0 && exact.fp === 0 && b.quality.byCategory['redundant_call/exact'].fp === 0,
    'paraphrases F1 >= 0.9 (corpus 1)': a.quality.byCategory['redundant_call/paraphrase'].f1 >= 0.9,
    'paraphrases F1 >= 0.9 (corpus 2, held out)': b.quality.byCategory['redundant_call/paraphrase'].f1 >= 0.9,
    'paraphrase pairs F1 >= 0.9 (holdout 3, never tuned on)': banks.unseen.f1 >= 0.9,
    'templated prompts and other traps never reported':
      a.quality.trapFalseAlarms === 0 && b.quality.trapFalseAlarms === 0,
    'savings within ±10 % (total, corpus 1)': a.quality.savings.totalError <= 0.1,
    'savings within ±10 % (total, corpus 2)': b.quality.savings.totalError <= 0.1,
  };
  console.log('\nTargets (PRODUCT.md):');
  for (const [k, ok] of Object.entries(checks)) console.log(`  ${ok ? 'met   ' : 'MISSED'}  ${k}`);
  Object.assign(out, { corpus1: a, corpus2: b, pairs: banks, checks });
} finally {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
}
mkdirSync('.bench', { recursive: true });
writeFileSync(join('.bench', 'quality.json'), JSON.stringify(out, null, 2));
