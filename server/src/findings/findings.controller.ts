import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { FINDING_KINDS } from '@kaizen/clickhouse';
import { z } from 'zod';
import { ApiPaging, ApiTimeRange } from '../common/api-docs.js';
import { resolveTimeRange, timeRangeQuery } from '../common/time-range.js';
import { hexId, intParam, labelParam, parseInput, single } from '../common/validation.js';
import { FindingsService } from './findings.service.js';

const SUBKINDS = [
  'exact',
  'near',
  'semantic',
  'uncached_prefix',
  'history_growth',
  'unused_context',
  'oversized_examples',
] as const;

const query = z
  .object({
    ...timeRangeQuery,
    kind: single('kind')
      .optional()
      .pipe(z.enum(FINDING_KINDS, { error: `must be one of ${FINDING_KINDS.join(', ')}` }).optional()),
    subkind: single('subkind')
      .optional()
      .pipe(z.enum(SUBKINDS, { error: `must be one of ${SUBKINDS.join(', ')}` }).optional()),
    service: labelParam('service'),
    workflow: labelParam('workflow'),
    traceId: single('traceId').optional().pipe(hexId(16, 'trace id').optional()),
    detectedBy: single('detectedBy')
      .optional()
      .pipe(z.enum(['local', 'judge', 'both'], { error: 'must be local, judge or both' }).optional()),
    minSavingPerMonth: single('minSavingPerMonth')
      .optional()
      .pipe(
        z
          .string()
          .regex(/^\d{1,12}(\.\d{1,6})?$/, 'must be a non-negative number of US dollars (at most 12 digits)')
          .transform(Number)
          .optional(),
      ),
    sort: single('sort')
      .optional()
      .pipe(z.enum(['saving', 'created'], { error: 'must be saving or created' }).optional()),
    limit: intParam('limit', 1, 500, 50),
    cursor: single('cursor').optional(),
  })
  .strict();

export const findingParams = z
  .object({
    findingId: z.string().regex(/^[A-Za-z0-9_:.-]{1,128}$/, 'must be a finding id (letters, digits and _ : . -)'),
  })
  .strict();

@ApiTags('findings')
@Controller('api/findings')
export class FindingsController {
  constructor(@Inject(FindingsService) private readonly findings: FindingsService) {}

  @Get()
  @ApiOperation({ summary: 'Waste findings across runs, biggest monthly saving first' })
  @ApiTimeRange()
  @ApiQuery({ name: 'kind', required: false, enum: FINDING_KINDS })
  @ApiQuery({ name: 'subkind', required: false, enum: SUBKINDS })
  @ApiQuery({ name: 'service', required: false })
  @ApiQuery({ name: 'workflow', required: false })
  @ApiQuery({ name: 'traceId', required: false })
  @ApiQuery({ name: 'detectedBy', required: false, enum: ['local', 'judge', 'both'] })
  @ApiQuery({ name: 'minSavingPerMonth', required: false })
  @ApiQuery({ name: 'sort', required: false, enum: ['saving', 'created'] })
  @ApiPaging()
  list(@Query() raw: unknown) {
    const q = parseInput('query parameter', query, raw);
    return this.findings.list({ ...q, range: resolveTimeRange(q, 7 * 86_400_000), sort: q.sort ?? 'saving' });
  }

  @Get(':findingId')
  @ApiOperation({ summary: 'One finding: evidence, the fix and its saving' })
  @ApiParam({ name: 'findingId' })
  get(@Param() params: unknown) {
    const { findingId } = parseInput('path parameter', findingParams, params);
    return this.findings.get(findingId);
  }
}
