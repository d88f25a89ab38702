import { Module } from '@nestjs/common';
import type { Storage } from '@kaizen/clickhouse';
import { STORAGE } from '../common/tokens.js';
import { PricesController } from './prices.controller.js';
import { PricesRepository } from './prices.repository.js';
import { PricesService } from './prices.service.js';

@Module({
  controllers: [PricesController],
  providers: [
    { provide: PricesRepository, useFactory: (s: Storage) => new PricesRepository(s), inject: [STORAGE] },
    { provide: PricesService, useFactory: (r: PricesRepository) => new PricesService(r), inject: [PricesRepository] },
  ],
  exports: [PricesRepository, PricesService],
})
export class PricesModule {}
