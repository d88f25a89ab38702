import { Module } from '@nestjs/common';
import type { Storage } from '@kaizen/clickhouse';
import { STORAGE } from '../common/tokens.js';
import { WasteEstimator } from './waste.estimator.js';
import { WasteRepository } from './waste.repository.js';

@Module({
  providers: [
    { provide: WasteRepository, useFactory: (s: Storage) => new WasteRepository(s), inject: [STORAGE] },
    { provide: WasteEstimator, useFactory: (r: WasteRepository) => new WasteEstimator(r), inject: [WasteRepository] },
  ],
  exports: [WasteEstimator, WasteRepository],
})
export class WasteModule {}
