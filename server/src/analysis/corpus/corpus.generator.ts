import type { CorpusModelCall, CorpusTrace } from './corpus.types.js';
import { Rng } from './prng.js';
import { docTranslation, invoiceExtraction, selfConsistency } from './scenarios/batch.scenarios.js';
import { researchAssistant } from './scenarios/research.scenario.js';
import { faqBot, reportWriter } from './scenarios/service.scenarios.js';
import { supportTriage } from './scenarios/support.scenario.js';
import type { Intent } from './texts/paraphrases.js';
import { intentsOf } from './texts/paraphrases.js';
import { TraceBuilder } from './trace-builder.js';

/**
 * The labelled corpus: realistic multi-agent workflow runs with known waste of every kind, clean
 * workflows and traps, spread over a few days so run rates and cross-run repeats are real. Seeded:
 * the same options give the same corpus. Also a single very large run for the speed benchmark.
 */

export interface WorkflowDef {
  readonly name: string;
  readonly service: string;
  readonly run: (b: TraceBuilder, rng: Rng, intents: readonly Intent[]) => unknown;
}

export const WORKFLOWS: readonly WorkflowDef[] = [
  { name: 'support-triage', service: 'helpdesk', run: supportTriage },
  { name: 'research-assistant', service: 'research', run: researchAssistant },
  { name: 'doc-translation', service: 'localizer', run: docTranslation },
  { name: 'self-consistency', service: 'math-tutor', run: selfConsistency },
  { name: 'faq-bot', service: 'faq', run: faqBot },
  { name: 'invoice-extraction', service: 'invoices', run: invoiceExtraction },
  { name: 'report-writer', service: 'reports', run: reportWriter },
];

/** Repeats of one request across runs, all answered identically: a response cache's hits. */
export interface CrossRunLabel {
  readonly serviceName: string;
  readonly workflowName: string;
  readonly spanIds: readonly string[];
  /** What the repeats (all but the first) cost over the corpus window. */
  readonly savedUSD: number;
}

export interface CorpusOptions {
  readonly seed?: number;
  readonly runsPerWorkflow?: number;
  /** The runs are spread over this many days, ending at `end`. */
  readonly days?: number;
  readonly end?: Date;
  readonly intents?: readonly Intent[];
  /** Only these workflows (default all). */
  readonly workflows?: readonly string[];
  /** Appended to every service name (keeps two corpora in one store apart). */
  readonly serviceSuffix?: string;
}

export interface Corpus {
  readonly traces: CorpusTrace[];
  readonly crossRun: CrossRunLabel[];
  /** True runs per day of each workflow. */
  readonly runsPerDay: Record<string, number>;
  readonly from: Date;
  readonly to: Date;
}

const DAY_MS = 86_400_000;

export function generateCorpus(opts: CorpusOptions = {}): Corpus {
  const rng = new Rng(opts.seed ?? 42);
  const runs = opts.runsPerWorkflow ?? 8;
  const days = opts.days ?? 2;
  const end = (opts.end ?? new Date()).getTime();
  const start = end - days * DAY_MS;
  const intents = opts.intents ?? intentsOf('all');
  const workflows = WORKFLOWS.filter((w) => !opts.workflows || opts.workflows.includes(w.name));
  const traces: CorpusTrace[] = [];
  const crossRun: CrossRunLabel[] = [];
  const runsPerDay: Record<string, number> = {};
  const step = (days * DAY_MS) / runs;
  for (const wf of workflows) {
    const service = `${wf.service}${opts.serviceSuffix ?? ''}`;
    const own: CorpusTrace[] = [];
    for (let k = 0; k < runs; k++) {
      const at = start + k * step + rng.int(0, Math.floor(step / 2));
      const b = new TraceBuilder(rng, service, wf.name, at);
      wf.run(b, rng, intents);
      own.push(b.build());
    }
    traces.push(...own);
    runsPerDay[wf.name] = runs / days;
    crossRun.push(...repeatedRequests(own, service, wf.name));
  }
  return { traces, crossRun, runsPerDay, from: new Date(start), to: new Date(end) };
}

/**
 * The truth for cross-run caching: the same request (model, parameters, system prompt, messages)
 * in two runs or more, answered the same way every time, by plain string equality.
 */
function repeatedRequests(traces: readonly CorpusTrace[], serviceName: string, workflowName: string): CrossRunLabel[] {
  const groups = new Map<string, { calls: CorpusModelCall[]; traces: Set<string>; outputs: Set<string> }>();
  for (const t of traces) {
    for (const s of t.spans) {
      if (s.type !== 'model' || s.errorType !== undefined || s.finishReason === 'length') continue;
      if (s.temperature !== undefined && s.temperature > 0.5) continue;
      const key = JSON.stringify([s.provider, s.model, s.temperature, s.maxTokens, s.outputType, s.system, s.messages]);
      const g = groups.get(key) ?? { calls: [], traces: new Set<string>(), outputs: new Set<string>() };
      g.calls.push(s);
      g.traces.add(t.traceId);
      g.outputs.add(s.output);
      groups.set(key, g);
    }
  }
  return [...groups.values()]
    .filter((g) => g.traces.size >= 2 && g.outputs.size === 1)
    .map((g) => {
      const calls = [...g.calls].sort((a, b) => a.startMs - b.startMs);
      return {
        serviceName,
        workflowName,
        spanIds: calls.map((c) => c.spanId),
        savedUSD: calls.slice(1).reduce((s, c) => s + c.costUSD, 0),
      };
    });
}

/**
 * One run of about `calls` model calls: the corpus workflows' steps one after another in a single
 * trace (a large batch job), for the speed benchmark.
 */
export function generateLargeRun(calls: number, seed = 7, startMs = Date.now() - DAY_MS): CorpusTrace {
  const rng = new Rng(seed);
  const b = new TraceBuilder(rng, 'batch', 'nightly-batch', startMs);
  const intents = intentsOf('all');
  let made = 0;
  while (made < calls) {
    for (const wf of WORKFLOWS) {
      wf.run(b, rng, intents);
      if (b.callCount >= calls) break;
    }
    made = b.callCount;
  }
  return b.build();
}
