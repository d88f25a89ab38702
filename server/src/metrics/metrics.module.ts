import { Module, type OnModuleInit, Inject } from '@nestjs/common';
import type { KaizenConfig, Storage } from '@kaizen/clickhouse';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { KAIZEN_CONFIG, LOGGER, METRICS_REGISTRY, STORAGE } from '../common/tokens.js';
import { WasteEstimator } from '../waste/waste.estimator.js';
import { WasteModule } from '../waste/waste.module.js';
import { ClickHouseMetrics } from './clickhouse-metrics.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsRepository } from './metrics.repository.js';
import { ServiceMetrics } from './service-metrics.js';

@Module({
  imports: [WasteModule],
  controllers: [MetricsController],
  providers: [
    { provide: MetricsRepository, useFactory: (s: Storage) => new MetricsRepository(s), inject: [STORAGE] },
    {
      provide: ClickHouseMetrics,
      useFactory: (repo: MetricsRepository, waste: WasteEstimator, logger: Logger, config: KaizenConfig) =>
        new ClickHouseMetrics(repo, waste, logger, { topN: config.api.metricsTopN }),
      inject: [MetricsRepository, WasteEstimator, LOGGER, KAIZEN_CONFIG],
    },
    {
      provide: ServiceMetrics,
      useFactory: (registry: Registry, config: KaizenConfig) =>
        new ServiceMetrics(registry, { dailyBudgetUsd: config.api.dailyBudgetUsd }),
      inject: [METRICS_REGISTRY, KAIZEN_CONFIG],
    },
  ],
  exports: [ServiceMetrics, ClickHouseMetrics],
})
export class MetricsModule implements OnModuleInit {
  constructor(
    @Inject(ClickHouseMetrics) private readonly chMetrics: ClickHouseMetrics,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
  ) {}

  onModuleInit(): void {
    this.chMetrics.register(this.registry);
  }
}
