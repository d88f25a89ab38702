import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { hexId, parseInput } from '../common/validation.js';
import { AnalysisService } from './analysis.service.js';

const traceParams = z.object({ traceId: hexId(16, 'trace id') }).strict();

@ApiTags('analysis')
@Controller('api/workflows')
export class AnalysisController {
  constructor(@Inject(AnalysisService) private readonly analyses: AnalysisService) {}

  @Post(':traceId/analyze')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Analyse one run now: local detectors, the Gemini judge when configured; stores and returns the findings with savings',
  })
  @ApiParam({ name: 'traceId', description: '32 hex characters' })
  analyze(@Param() params: unknown) {
    const { traceId } = parseInput('path parameter', traceParams, params);
    return this.analyses.analyze(traceId, 'api');
  }

  @Get(':traceId/analysis')
  @ApiOperation({ summary: 'The last analysis of a run: status, judge use, saving, and its live findings' })
  @ApiParam({ name: 'traceId', description: '32 hex characters' })
  get(@Param() params: unknown) {
    const { traceId } = parseInput('path parameter', traceParams, params);
    return this.analyses.get(traceId);
  }
}
