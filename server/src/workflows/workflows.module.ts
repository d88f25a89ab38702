import { Module } from '@nestjs/common';
import type { Storage } from '@kaizen/clickhouse';
import { STORAGE } from '../common/tokens.js';
import { WorkflowsController } from './workflows.controller.js';
import { WorkflowsRepository } from './workflows.repository.js';
import { WorkflowsService } from './workflows.service.js';

@Module({
  controllers: [WorkflowsController],
  providers: [
    { provide: WorkflowsRepository, useFactory: (s: Storage) => new WorkflowsRepository(s), inject: [STORAGE] },
    {
      provide: WorkflowsService,
      useFactory: (r: WorkflowsRepository) => new WorkflowsService(r),
      inject: [WorkflowsRepository],
    },
  ],
  exports: [WorkflowsService, WorkflowsRepository],
})
export class WorkflowsModule {}
