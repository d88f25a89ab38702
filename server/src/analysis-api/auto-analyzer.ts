import { p, sql, T, type Storage } from '@kaizen/clickhouse';
import type { Logger } from 'pino';
import type { AnalysisService } from './analysis.service.js';

/** How far back the auto-analyser looks for runs it has not analysed. */
const LOOKBACK_MS = 24 * 3_600_000;

export interface AutoAnalyzerOptions {
  /** A run is analysed once no span of it has arrived for this long. */
  readonly quietSeconds: number;
  /** Analyses run at once. */
  readonly concurrency: number;
  /** Runs taken per pass (default concurrency × 8). */
  readonly batch?: number;
  /** The cross-run analysis of the last 24 hours runs at most this often, after new runs were analysed (default 10 minutes). */
  readonly windowEveryMs?: number;
}

/**
 * Analyses workflow runs in the background once they are quiet: never analysed, or grown since
 * their last analysis (`workflow_runs.LastSeen` newer than `analyses.RunLastSeen`), the most
 * expensive first. A run whose analysis failed is not retried until new spans arrive. After runs
 * were analysed, and at most every `windowEveryMs`, the last 24 hours are analysed across runs.
 */
export class AutoAnalyzer {
  private running: Promise<number> | undefined;
  private lastWindowAt = 0;
  private sinceWindow = 0;

  constructor(
    private readonly storage: Storage,
    private readonly analyses: AnalysisService,
    private readonly opts: AutoAnalyzerOptions,
    private readonly logger: Logger,
  ) {}

  /** The runs due for analysis at `now`, most expensive first. */
  async due(now: Date = new Date()): Promise<string[]> {
    const cutoff = new Date(now.getTime() - this.opts.quietSeconds * 1000);
    const from = new Date(now.getTime() - LOOKBACK_MS);
    const rows = await this.storage.query<{ TraceId: string }>(
      sql`
        SELECT r.TraceId AS TraceId
        FROM (
          SELECT TraceId, max(LastSeen) AS lastSeen, sum(CostUSD) AS cost, sum(Calls) AS calls
          FROM ${this.storage.table(T.workflowRuns)}
          WHERE Start >= ${p.dateTime64(from)}
          GROUP BY TraceId
          HAVING calls > 0 AND lastSeen <= ${p.dateTime64(cutoff)}
        ) AS r
        LEFT JOIN (
          SELECT TraceId, RunLastSeen
          FROM ${this.storage.table(T.analyses)} FINAL
          WHERE StartedAt >= ${p.dateTime64(new Date(from.getTime() - LOOKBACK_MS))} AND Status != 'running'
        ) AS a ON a.TraceId = r.TraceId
        WHERE a.TraceId = '' OR a.RunLastSeen < r.lastSeen
        ORDER BY r.cost DESC, r.TraceId
        LIMIT ${p.uint32(this.opts.batch ?? this.opts.concurrency * 8)}`,
      { tag: 'auto-analyze-due' },
    );
    return rows.map((r) => r.TraceId);
  }

  /** One pass: analyses every due run (bounded by the batch), `concurrency` at a time. Returns how many. */
  tick(now: Date = new Date()): Promise<number> {
    this.running ??= this.pass(now).finally(() => (this.running = undefined));
    return this.running;
  }

  /** Resolves when the pass under way (if any) has finished. */
  async settled(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  private async pass(now: Date): Promise<number> {
    const done = await this.runs(now);
    this.sinceWindow += done;
    const every = this.opts.windowEveryMs ?? 10 * 60_000;
    if (this.sinceWindow > 0 && now.getTime() - this.lastWindowAt >= every) {
      await this.window(now);
    }
    return done;
  }

  /** The cross-run analysis of the 24 hours before `now` (cache recommendations across runs). */
  async window(now: Date = new Date()): Promise<void> {
    this.lastWindowAt = now.getTime();
    this.sinceWindow = 0;
    try {
      await this.analyses.analyzeWindow({ from: new Date(now.getTime() - LOOKBACK_MS), to: now }, undefined, 'auto');
    } catch (e) {
      this.logger.warn({ err: e }, 'cross-run analysis failed');
    }
  }

  private async runs(now: Date): Promise<number> {
    const queue = await this.due(now);
    let done = 0;
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        try {
          await this.analyses.analyze(id, 'auto');
          done++;
        } catch (e) {
          this.logger.warn({ err: e, traceId: id }, 'auto-analysis failed');
        }
      }
    };
    await Promise.all(Array.from({ length: this.opts.concurrency }, worker));
    return done;
  }
}
