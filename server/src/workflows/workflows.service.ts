import { decodeCursor, pageOf, type Page } from '../common/pagination.js';
import { notFound } from '../common/errors.js';
import type { TimeRange } from '../common/time-range.js';
import type { CallRow, RunRow, RunSort, WorkflowsRepository } from './workflows.repository.js';

export interface Tokens {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  reasoning: number;
}

export interface WorkflowRun {
  traceId: string;
  workflow: string;
  service: string;
  version: string;
  start: string;
  end: string;
  durationMs: number;
  calls: number;
  errors: number;
  unpricedCalls: number;
  tokens: Tokens;
  costUsd: number;
  waste: { findings: number; savingUsdPerRun: number };
  analysis: { status: string; analyzedAt: string; stale: boolean } | null;
}

export interface WorkflowCall {
  spanId: string;
  parentSpanId: string;
  name: string;
  start: string;
  offsetMs: number;
  durationMs: number;
  provider: string;
  operation: string;
  requestModel: string;
  responseModel: string;
  priceModel: string;
  agent: string;
  tokens: Tokens;
  costUsd: number;
  costSource: string;
  isError: boolean;
  errorType: string;
  finishReasons: string[];
  stream: boolean;
  timeToFirstTokenMs: number | null;
  temperature: number | null;
  maxTokens: number | null;
  fingerprints: { prompt: string; simhash: string; system: string };
  content?: { input: unknown; output: unknown; system: unknown };
}

const num = (s: string | number) => Number(s);

function tokensOf(r: {
  inputTokens?: string;
  outputTokens?: string;
  cacheReadTokens?: string;
  cacheWriteTokens?: string;
  reasoningTokens?: string;
}): Tokens {
  return {
    input: num(r.inputTokens ?? 0),
    output: num(r.outputTokens ?? 0),
    cacheRead: num(r.cacheReadTokens ?? 0),
    cacheWrite: num(r.cacheWriteTokens ?? 0),
    reasoning: num(r.reasoningTokens ?? 0),
  };
}

function parseJson(text: string | undefined): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export class WorkflowsService {
  constructor(private readonly repo: WorkflowsRepository) {}

  async list(q: {
    range: TimeRange;
    service?: string | undefined;
    workflow?: string | undefined;
    sort: RunSort;
    limit: number;
    cursor?: string | undefined;
  }): Promise<Page<WorkflowRun>> {
    const after = decodeCursor(q.cursor, 2);
    const rows = await this.repo.listRuns({ ...q, after });
    const page = pageOf(rows, q.limit, (r) => (q.sort === 'cost' ? [r.cost, r.TraceId] : [r.startMs, r.TraceId]));
    return { items: await this.decorate(page.items), nextCursor: page.nextCursor };
  }

  async get(traceId: string, withContent: boolean): Promise<{ run: WorkflowRun; calls: WorkflowCall[] }> {
    const row = await this.repo.getRun(traceId);
    if (!row || num(row.calls) === 0) throw notFound(`Workflow run ${traceId}`);
    const [run] = await this.decorate([row]);
    const startMs = num(row.startMs);
    const calls = await this.repo.calls(traceId, { fromMs: startMs, toMs: num(row.endMs) }, withContent);
    return { run: run!, calls: calls.map((c) => this.toCall(c, startMs, withContent)) };
  }

  private async decorate(rows: RunRow[]): Promise<WorkflowRun[]> {
    const ids = rows.map((r) => r.TraceId);
    const [waste, analyses] = await Promise.all([this.repo.wasteOfRuns(ids), this.repo.analysesOfRuns(ids)]);
    const wasteBy = new Map(waste.map((w) => [w.TraceId, w]));
    const analysisBy = new Map(analyses.map((a) => [a.TraceId, a]));
    return rows.map((r) => {
      const w = wasteBy.get(r.TraceId);
      const a = analysisBy.get(r.TraceId);
      const start = num(r.startMs);
      const end = Math.max(num(r.endMs), start);
      return {
        traceId: r.TraceId,
        workflow: r.workflow,
        service: r.service,
        version: r.version,
        start: new Date(start).toISOString(),
        end: new Date(end).toISOString(),
        durationMs: end - start,
        calls: num(r.calls),
        errors: num(r.errors),
        unpricedCalls: num(r.unpriced),
        tokens: tokensOf(r),
        costUsd: r.cost,
        waste: { findings: w ? num(w.findings) : 0, savingUsdPerRun: w ? w.saving : 0 },
        analysis: a
          ? {
              status: a.Status,
              analyzedAt: new Date(num(a.FinishedMs)).toISOString(),
              stale: num(r.lastSeenMs) > num(a.RunLastSeenMs),
            }
          : null,
      };
    });
  }

  private toCall(c: CallRow, runStartMs: number, withContent: boolean): WorkflowCall {
    const start = num(c.startMs);
    const ttft = num(c.TimeToFirstTokenNs);
    return {
      spanId: c.SpanId,
      parentSpanId: c.ParentSpanId,
      name: c.SpanName,
      start: new Date(start).toISOString(),
      offsetMs: start - runStartMs,
      durationMs: num(c.DurationNs) / 1e6,
      provider: c.Provider,
      operation: c.Operation,
      requestModel: c.RequestModel,
      responseModel: c.ResponseModel,
      priceModel: c.PriceModel,
      agent: c.AgentName,
      tokens: {
        input: num(c.InputTokens),
        output: num(c.OutputTokens),
        cacheRead: num(c.CacheReadTokens),
        cacheWrite: num(c.CacheWriteTokens),
        reasoning: num(c.ReasoningTokens),
      },
      costUsd: c.CostUSD,
      costSource: c.CostSource,
      isError: c.IsError === 1,
      errorType: c.ErrorType,
      finishReasons: c.FinishReasons,
      stream: c.IsStream === 1,
      timeToFirstTokenMs: ttft > 0 ? ttft / 1e6 : null,
      temperature: c.Temperature,
      maxTokens: c.MaxTokens > 0 ? c.MaxTokens : null,
      fingerprints: { prompt: c.PromptHash, simhash: c.PromptSimHash, system: c.SystemHash },
      ...(withContent
        ? {
            content: {
              input: parseJson(c.InputMessages),
              output: parseJson(c.OutputMessages),
              system: parseJson(c.SystemInstructions),
            },
          }
        : {}),
    };
  }
}
