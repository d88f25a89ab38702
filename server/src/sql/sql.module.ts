import { Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import { ReadOnlySql, type KaizenConfig, type Storage } from '@kaizen/clickhouse';
import { KAIZEN_CONFIG, STORAGE } from '../common/tokens.js';
import { SqlController } from './sql.controller.js';
import { SqlService } from './sql.service.js';

@Module({
  controllers: [SqlController],
  providers: [
    {
      provide: ReadOnlySql,
      useFactory: (s: Storage, c: KaizenConfig) =>
        ReadOnlySql.open(s, {
          maxExecutionSeconds: c.sql.timeoutSeconds,
          maxResultRows: c.sql.maxRows,
          maxResultBytes: 256 * 1024 * 1024,
          maxMemoryBytes: 2 * 1024 * 1024 * 1024,
        }),
      inject: [STORAGE, KAIZEN_CONFIG],
    },
    { provide: SqlService, useFactory: (ro: ReadOnlySql) => new SqlService(ro), inject: [ReadOnlySql] },
  ],
  exports: [SqlService],
})
export class SqlModule implements OnModuleDestroy {
  constructor(@Inject(ReadOnlySql) private readonly ro: ReadOnlySql) {}

  onModuleDestroy(): void {
    this.ro.close();
  }
}
