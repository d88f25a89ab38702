import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiTimeRange } from '../common/api-docs.js';
import { resolveTimeRange, timeRangeQuery } from '../common/time-range.js';
import { intParam, parseInput } from '../common/validation.js';
import { ModelsService } from './models.service.js';

const query = z.object({ ...timeRangeQuery, limit: intParam('limit', 1, 500, 100) }).strict();

@ApiTags('models')
@Controller('api/models')
export class ModelsController {
  constructor(@Inject(ModelsService) private readonly models: ModelsService) {}

  @Get()
  @ApiOperation({ summary: 'Models used in a window: calls, tokens, cost, latency and the price each was charged at' })
  @ApiTimeRange()
  @ApiQuery({ name: 'limit', required: false, description: '1-500, default 100' })
  list(@Query() raw: unknown) {
    const q = parseInput('query parameter', query, raw);
    return this.models.list(resolveTimeRange(q, 24 * 3_600_000), q.limit);
  }
}
