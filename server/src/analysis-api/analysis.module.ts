import { Inject, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { KaizenConfig, Storage } from '@kaizen/clickhouse';
import type { Logger } from 'pino';
import { createAnalysisEngine, judgeFromConfig, type AnalysisEngine } from '../analysis/index.js';
import type { AppOptions } from '../app/app.options.js';
import { APP_OPTIONS, KAIZEN_CONFIG, LOGGER, STORAGE } from '../common/tokens.js';
import { FindingsModule } from '../findings/findings.module.js';
import { FindingsService } from '../findings/findings.service.js';
import { ClickHouseMetrics } from '../metrics/clickhouse-metrics.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { ServiceMetrics } from '../metrics/service-metrics.js';
import { AnalysisController } from './analysis.controller.js';
import { AnalysisService } from './analysis.service.js';
import { AutoAnalyzer } from './auto-analyzer.js';

export const ANALYSIS_ENGINE = Symbol('ANALYSIS_ENGINE');

/** API requests may run this many analyses beside the auto-analyser's own. */
const API_ANALYSES = 4;

/** The engine with the service's metrics, judge and logger. */
export function engineFor(
  config: KaizenConfig,
  storage: Storage,
  metrics: ServiceMetrics,
  logger: Logger,
  onDone: () => void = () => undefined,
): AnalysisEngine {
  const judgeHooks = {
    onRequest: (outcome: string) => metrics.judgeRequests.inc({ outcome }),
    onTokens: (type: 'input' | 'output', n: number) => metrics.judgeTokens.inc({ type }, n),
    onCircuitState: (state: number) => metrics.judgeCircuit.set(state),
  };
  const judge = judgeFromConfig(config.gemini, judgeHooks);
  // The breaker reports changes only; start the gauge from its state now.
  metrics.judgeCircuit.set(judge?.circuitState ?? 0);
  return createAnalysisEngine({
    storage,
    judge,
    judgeHooks,
    logger: logger.child({ component: 'analysis' }),
    hooks: {
      onAnalysis: ({ trigger, status, durationSeconds }) => {
        metrics.analyses.inc({ trigger, status });
        metrics.analysisDuration.observe({ trigger }, durationSeconds);
        onDone();
      },
      onInsights: (kind, count) => metrics.insights.inc({ kind }, count),
    },
  });
}

@Module({
  imports: [FindingsModule, MetricsModule],
  controllers: [AnalysisController],
  providers: [
    {
      provide: ANALYSIS_ENGINE,
      useFactory: (c: KaizenConfig, s: Storage, m: ServiceMetrics, l: Logger, ch: ClickHouseMetrics) =>
        engineFor(c, s, m, l, () => ch.invalidate()),
      inject: [KAIZEN_CONFIG, STORAGE, ServiceMetrics, LOGGER, ClickHouseMetrics],
    },
    {
      provide: AnalysisService,
      useFactory: (e: AnalysisEngine, f: FindingsService, c: KaizenConfig) =>
        new AnalysisService(e, f, c.autoAnalyze.concurrency + API_ANALYSES),
      inject: [ANALYSIS_ENGINE, FindingsService, KAIZEN_CONFIG],
    },
    {
      provide: AutoAnalyzer,
      useFactory: (s: Storage, a: AnalysisService, c: KaizenConfig, l: Logger) =>
        new AutoAnalyzer(s, a, { quietSeconds: c.autoAnalyze.quietSeconds, concurrency: c.autoAnalyze.concurrency }, l),
      inject: [STORAGE, AnalysisService, KAIZEN_CONFIG, LOGGER],
    },
  ],
  exports: [AnalysisService, AutoAnalyzer],
})
export class AnalysisModule implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(
    @Inject(AutoAnalyzer) private readonly auto: AutoAnalyzer,
    @Inject(KAIZEN_CONFIG) private readonly config: KaizenConfig,
    @Inject(APP_OPTIONS) private readonly options: AppOptions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Auto-analysis in the background (KAIZEN_AUTO_ANALYZE), a pass every few seconds. */
  onApplicationBootstrap(): void {
    if (this.options.background === false || !this.config.autoAnalyze.enabled) return;
    const everyMs = Math.min(Math.max(this.config.autoAnalyze.quietSeconds * 250, 2_000), 30_000);
    const loop = () => {
      if (this.stopping) return;
      this.auto
        .tick()
        .then((n) => {
          if (n > 0) this.logger.info({ analysed: n }, 'auto-analysis pass');
        })
        .catch((e: unknown) => this.logger.warn({ err: e }, 'auto-analysis pass failed'))
        .finally(() => {
          if (!this.stopping) {
            this.timer = setTimeout(loop, everyMs);
            this.timer.unref();
          }
        });
    };
    this.timer = setTimeout(loop, everyMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.auto.settled();
  }
}
