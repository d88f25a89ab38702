import { Module } from '@nestjs/common';
import type { Storage } from '@kaizen/clickhouse';
import { STORAGE } from '../common/tokens.js';
import { PricesModule } from '../prices/prices.module.js';
import { PricesRepository } from '../prices/prices.repository.js';
import { ModelsController } from './models.controller.js';
import { ModelsRepository } from './models.repository.js';
import { ModelsService } from './models.service.js';

@Module({
  imports: [PricesModule],
  controllers: [ModelsController],
  providers: [
    { provide: ModelsRepository, useFactory: (s: Storage) => new ModelsRepository(s), inject: [STORAGE] },
    {
      provide: ModelsService,
      useFactory: (r: ModelsRepository, p: PricesRepository) => new ModelsService(r, p),
      inject: [ModelsRepository, PricesRepository],
    },
  ],
})
export class ModelsModule {}
