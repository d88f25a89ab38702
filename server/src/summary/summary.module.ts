import { Module } from '@nestjs/common';
import type { Storage } from '@kaizen/clickhouse';
import { STORAGE } from '../common/tokens.js';
import { WasteEstimator } from '../waste/waste.estimator.js';
import { WasteModule } from '../waste/waste.module.js';
import { SummaryController } from './summary.controller.js';
import { SummaryRepository } from './summary.repository.js';
import { SummaryService } from './summary.service.js';

@Module({
  imports: [WasteModule],
  controllers: [SummaryController],
  providers: [
    { provide: SummaryRepository, useFactory: (s: Storage) => new SummaryRepository(s), inject: [STORAGE] },
    {
      provide: SummaryService,
      useFactory: (r: SummaryRepository, w: WasteEstimator) => new SummaryService(r, w),
      inject: [SummaryRepository, WasteEstimator],
    },
  ],
  exports: [SummaryService],
})
export class SummaryModule {}
