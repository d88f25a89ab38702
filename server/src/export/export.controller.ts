import { Controller, Get, Header, Inject, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { notFound } from '../common/errors.js';
import { parseInput } from '../common/validation.js';
import { GrafanaAssets } from './grafana-assets.js';

const uidParams = z
  .object({ uid: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be a dashboard uid (letters, digits, - and _)') })
  .strict();

@ApiTags('export')
@Controller('api/export')
export class ExportController {
  constructor(@Inject(GrafanaAssets) private readonly assets: GrafanaAssets) {}

  @Get('grafana')
  @ApiOperation({ summary: 'The Grafana dashboards Kaizen ships (uid, title, file)' })
  list() {
    return { items: this.assets.dashboards() };
  }

  @Get('grafana/:uid')
  @ApiOperation({ summary: 'One Grafana dashboard, as JSON ready to import or provision' })
  @ApiParam({ name: 'uid' })
  @Header('content-type', 'application/json; charset=utf-8')
  dashboard(@Param() params: unknown): string {
    const { uid } = parseInput('path parameter', uidParams, params);
    const d = this.assets.dashboard(uid);
    if (d === undefined) throw notFound(`Dashboard ${uid}`);
    return d;
  }

  @Get('prometheus-rules')
  @ApiOperation({ summary: "Kaizen's Prometheus alert rules (the files in grafana/alerting)" })
  @Header('content-type', 'text/yaml; charset=utf-8')
  rules(): string {
    return this.assets.rules();
  }
}
