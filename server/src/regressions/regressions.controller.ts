import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { labelParam, parseInput, single } from '../common/validation.js';
import { REGRESSION_METRICS, RegressionsService } from './regressions.service.js';

const query = z
  .object({
    service: labelParam('service'),
    workflow: labelParam('workflow'),
    metric: single('metric')
      .optional()
      .pipe(z.enum(REGRESSION_METRICS, { error: `must be one of ${REGRESSION_METRICS.join(', ')}` }).optional()),
    comparison: single('comparison')
      .optional()
      .pipe(z.enum(['window', 'release'], { error: 'must be window or release' }).optional()),
    regressed: single('regressed')
      .optional()
      .pipe(z.enum(['true', 'false'], { error: 'must be true or false' }).optional()),
  })
  .strict();

@ApiTags('regressions')
@Controller('api/regressions')
export class RegressionsController {
  constructor(@Inject(RegressionsService) private readonly regressions: RegressionsService) {}

  @Get()
  @ApiOperation({
    summary:
      'Per workflow: cost and tokens per run, p95 latency, error rate and cache-hit ratio, recent window vs the 24 h before and newest release vs the previous, with one-sided tests',
  })
  @ApiQuery({ name: 'service', required: false })
  @ApiQuery({ name: 'workflow', required: false })
  @ApiQuery({ name: 'metric', required: false, enum: REGRESSION_METRICS })
  @ApiQuery({ name: 'comparison', required: false, enum: ['window', 'release'] })
  @ApiQuery({ name: 'regressed', required: false, enum: ['true', 'false'], description: 'true: only regressions' })
  async list(@Query() raw: unknown) {
    const q = parseInput('query parameter', query, raw);
    const { computedAt, items } = await this.regressions.current(30_000);
    return {
      computedAt,
      items: items.filter(
        (r) =>
          (q.service === undefined || r.service === q.service) &&
          (q.workflow === undefined || r.workflow === q.workflow) &&
          (q.metric === undefined || r.metric === q.metric) &&
          (q.comparison === undefined || r.comparison === q.comparison) &&
          (q.regressed === undefined || r.regressed === (q.regressed === 'true')),
      ),
    };
  }
}
