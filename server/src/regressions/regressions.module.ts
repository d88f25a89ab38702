import { Inject, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { KaizenConfig, Storage } from '@kaizen/clickhouse';
import type { Logger } from 'pino';
import type { AppOptions } from '../app/app.options.js';
import { APP_OPTIONS, KAIZEN_CONFIG, LOGGER, STORAGE } from '../common/tokens.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { ServiceMetrics } from '../metrics/service-metrics.js';
import { RegressionsController } from './regressions.controller.js';
import { RegressionsRepository } from './regressions.repository.js';
import { RegressionsService } from './regressions.service.js';

@Module({
  imports: [MetricsModule],
  controllers: [RegressionsController],
  providers: [
    { provide: RegressionsRepository, useFactory: (s: Storage) => new RegressionsRepository(s), inject: [STORAGE] },
    {
      provide: RegressionsService,
      useFactory: (r: RegressionsRepository, c: KaizenConfig, m: ServiceMetrics) =>
        new RegressionsService(r, { minRuns: c.regressions.minRuns, windowMinutes: c.regressions.windowMinutes }, m),
      inject: [RegressionsRepository, KAIZEN_CONFIG, ServiceMetrics],
    },
  ],
  exports: [RegressionsService],
})
export class RegressionsModule implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(RegressionsService) private readonly regressions: RegressionsService,
    @Inject(KAIZEN_CONFIG) private readonly config: KaizenConfig,
    @Inject(APP_OPTIONS) private readonly options: AppOptions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Keeps the regression gauges current in the background (not in tests that drive it by hand). */
  onApplicationBootstrap(): void {
    if (this.options.background === false) return;
    const tick = () => {
      this.regressions.refresh().catch((e: unknown) => this.logger.warn({ err: e }, 'regression check failed'));
    };
    this.timer = setInterval(tick, this.config.regressions.intervalSeconds * 1000);
    this.timer.unref();
    tick();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
