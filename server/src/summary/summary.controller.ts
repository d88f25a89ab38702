import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiTimeRange } from '../common/api-docs.js';
import { resolveTimeRange, timeRangeQuery } from '../common/time-range.js';
import { intParam, labelParam, parseInput } from '../common/validation.js';
import { SummaryService } from './summary.service.js';

const query = z.object({ ...timeRangeQuery, service: labelParam('service'), top: intParam('top', 1, 50, 10) }).strict();

@ApiTags('summary')
@Controller('api/summary')
export class SummaryController {
  constructor(@Inject(SummaryService) private readonly summary: SummaryService) {}

  @Get()
  @ApiOperation({ summary: 'Spend, calls, tokens, cache-hit ratio, top models/workflows and the waste estimate' })
  @ApiTimeRange()
  @ApiQuery({ name: 'service', required: false })
  @ApiQuery({ name: 'top', required: false, description: 'entries per breakdown, 1-50 (default 10)' })
  get(@Query() raw: unknown) {
    const q = parseInput('query parameter', query, raw);
    return this.summary.summary(resolveTimeRange(q, 24 * 3_600_000), q.service, q.top);
  }
}
