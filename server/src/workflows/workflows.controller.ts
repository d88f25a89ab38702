import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiPaging, ApiTimeRange } from '../common/api-docs.js';
import { timeRangeQuery, resolveTimeRange } from '../common/time-range.js';
import { hexId, intParam, labelParam, parseInput, single } from '../common/validation.js';
import { WorkflowsService } from './workflows.service.js';

const listQuery = z
  .object({
    ...timeRangeQuery,
    service: labelParam('service'),
    workflow: labelParam('workflow'),
    sort: single('sort')
      .optional()
      .pipe(z.enum(['start', 'cost'], { error: 'must be start or cost' }).optional()),
    limit: intParam('limit', 1, 500, 50),
    cursor: single('cursor').optional(),
  })
  .strict();

const traceParams = z.object({ traceId: hexId(16, 'trace id') }).strict();
const getQuery = z
  .object({
    content: single('content')
      .optional()
      .pipe(z.enum(['true', 'false'], { error: 'must be true or false' }).optional()),
  })
  .strict();

@ApiTags('workflows')
@Controller('api/workflows')
export class WorkflowsController {
  constructor(@Inject(WorkflowsService) private readonly workflows: WorkflowsService) {}

  @Get()
  @ApiOperation({ summary: 'Workflow runs with cost, calls, tokens and waste (newest or costliest first)' })
  @ApiTimeRange()
  @ApiQuery({ name: 'service', required: false })
  @ApiQuery({ name: 'workflow', required: false })
  @ApiQuery({ name: 'sort', required: false, enum: ['start', 'cost'] })
  @ApiPaging()
  list(@Query() query: unknown) {
    const q = parseInput('query parameter', listQuery, query);
    return this.workflows.list({
      range: resolveTimeRange(q, 24 * 3_600_000),
      service: q.service,
      workflow: q.workflow,
      sort: q.sort ?? 'start',
      limit: q.limit,
      cursor: q.cursor,
    });
  }

  @Get(':traceId')
  @ApiOperation({ summary: 'One run and its calls as a timeline (content=true adds the messages)' })
  @ApiParam({ name: 'traceId', description: '32 hex characters' })
  @ApiQuery({ name: 'content', required: false, enum: ['true', 'false'] })
  get(@Param() params: unknown, @Query() query: unknown) {
    const { traceId } = parseInput('path parameter', traceParams, params);
    const q = parseInput('query parameter', getQuery, query);
    return this.workflows.get(traceId, q.content === 'true');
  }
}
