import { type DynamicModule, Module } from '@nestjs/common';
import { APP_OPTIONS } from '../common/tokens.js';
import { AnalysisModule } from '../analysis-api/analysis.module.js';
import { HealthModule } from '../health/health.module.js';
import { ExportModule } from '../export/export.module.js';
import { FindingsModule } from '../findings/findings.module.js';
import { McpModule } from '../mcp/mcp.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { ModelsModule } from '../models/models.module.js';
import { PricesModule } from '../prices/prices.module.js';
import { RegressionsModule } from '../regressions/regressions.module.js';
import { SqlModule } from '../sql/sql.module.js';
import { SummaryModule } from '../summary/summary.module.js';
import { WorkflowsModule } from '../workflows/workflows.module.js';
import type { AppOptions } from './app.options.js';
import { CoreModule, type CoreDeps } from './core.module.js';

@Module({})
export class AppModule {
  static forRoot(deps: CoreDeps, options: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(deps),
        HealthModule,
        WorkflowsModule,
        FindingsModule,
        AnalysisModule,
        SummaryModule,
        ModelsModule,
        PricesModule,
        MetricsModule,
        RegressionsModule,
        ExportModule,
        SqlModule,
        McpModule,
      ],
      providers: [{ provide: APP_OPTIONS, useValue: options }],
      exports: [APP_OPTIONS],
      global: true,
    };
  }
}
