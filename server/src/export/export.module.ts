import { Module } from '@nestjs/common';
import type { AppOptions } from '../app/app.options.js';
import { APP_OPTIONS } from '../common/tokens.js';
import { ExportController } from './export.controller.js';
import { GrafanaAssets } from './grafana-assets.js';

@Module({
  controllers: [ExportController],
  providers: [
    { provide: GrafanaAssets, useFactory: (o: AppOptions) => new GrafanaAssets(o.grafanaDir), inject: [APP_OPTIONS] },
  ],
})
export class ExportModule {}
