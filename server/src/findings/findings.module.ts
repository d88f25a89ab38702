import { Module } from '@nestjs/common';
import type { Storage } from '@kaizen/clickhouse';
import { STORAGE } from '../common/tokens.js';
import { FindingsController } from './findings.controller.js';
import { FindingsRepository } from './findings.repository.js';
import { FindingsService } from './findings.service.js';

@Module({
  controllers: [FindingsController],
  providers: [
    { provide: FindingsRepository, useFactory: (s: Storage) => new FindingsRepository(s), inject: [STORAGE] },
    {
      provide: FindingsService,
      useFactory: (r: FindingsRepository) => new FindingsService(r),
      inject: [FindingsRepository],
    },
  ],
  exports: [FindingsService],
})
export class FindingsModule {}
