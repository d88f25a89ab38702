import { Module } from '@nestjs/common';
import type { Storage } from '@kaizen/clickhouse';
import { APP_OPTIONS, STORAGE } from '../common/tokens.js';
import type { AppOptions } from '../app/app.options.js';
import { HealthController } from './health.controller.js';
import { ReadinessService } from './readiness.service.js';

@Module({
  controllers: [HealthController],
  providers: [
    {
      provide: ReadinessService,
      useFactory: (s: Storage, o: AppOptions) => new ReadinessService(s, o.collectorAlive),
      inject: [STORAGE, APP_OPTIONS],
    },
  ],
})
export class HealthModule {}
