import { Body, Controller, Delete, Get, HttpCode, Inject, Put, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiPaging } from '../common/api-docs.js';
import { invalid } from '../common/errors.js';
import { intParam, labelParam, parseInput, single } from '../common/validation.js';
import { PricesService } from './prices.service.js';

const usd = z
  .number({ error: 'must be a number' })
  .finite()
  .min(0, 'must not be negative')
  .max(1_000_000, 'must be at most 1000000');
const PROVIDER = /^(\*|[a-z0-9][a-z0-9._-]{0,63})$/;

const priceInput = z
  .object({
    provider: z
      .string({ error: 'is required' })
      .regex(PROVIDER, 'must be a provider id such as openai, anthropic, google, or * for any'),
    model: z
      .string({ error: 'is required' })
      .min(1, 'must not be empty')
      .max(200, 'must be at most 200 characters')
      .regex(/^[^\u0000-\u001f]+$/, 'must be printable'),
    isPattern: z.boolean({ error: 'must be true or false' }).optional(),
    inputPerMTok: usd,
    outputPerMTok: usd,
    cacheReadPerMTok: usd.optional(),
    cacheWritePerMTok: usd.optional(),
    tier: z
      .object({
        threshold: z.number().int('must be a whole number of input tokens').min(1).max(1e9),
        inputPerMTok: usd,
        outputPerMTok: usd,
        cacheReadPerMTok: usd.optional(),
        cacheWritePerMTok: usd.optional(),
      })
      .strict()
      .optional(),
    reasoningPerMTok: usd.optional(),
    perRequestUsd: usd.optional(),
    note: z.string().max(500, 'must be at most 500 characters').optional(),
  })
  .strict();

const priceList = z.array(priceInput).min(1, 'must hold at least one price').max(100, 'must hold at most 100 prices');

const listQuery = z
  .object({
    provider: labelParam('provider'),
    q: labelParam('q'),
    source: single('source')
      .optional()
      .pipe(z.enum(['library', 'override'], { error: 'must be library or override' }).optional()),
    limit: intParam('limit', 1, 500, 100),
    cursor: single('cursor').optional(),
  })
  .strict();

const deleteQuery = z
  .object({
    provider: single('provider').pipe(z.string().regex(PROVIDER, 'must be a provider id')),
    model: single('model').pipe(z.string().min(1).max(200)),
  })
  .strict();

@ApiTags('prices')
@Controller('api/prices')
export class PricesController {
  constructor(@Inject(PricesService) private readonly prices: PricesService) {}

  @Get()
  @ApiOperation({
    summary: 'The price table: @pydantic/genai-prices rules and your overrides (USD per million tokens)',
  })
  @ApiQuery({ name: 'provider', required: false })
  @ApiQuery({ name: 'q', required: false, description: 'search in model names' })
  @ApiQuery({ name: 'source', required: false, enum: ['library', 'override'] })
  @ApiPaging()
  list(@Query() raw: unknown) {
    const q = parseInput('query parameter', listQuery, raw);
    return this.prices.list({ provider: q.provider, search: q.q, source: q.source, limit: q.limit, cursor: q.cursor });
  }

  @Put()
  @ApiOperation({
    summary:
      'Add or replace price overrides (one object or an array); they win over the library for calls ingested from now on',
  })
  @ApiBody({
    description:
      '{ provider, model, isPattern?, inputPerMTok, outputPerMTok, cacheReadPerMTok?, cacheWritePerMTok?, tier?, reasoningPerMTok?, perRequestUsd?, note? }',
  })
  async put(@Body() body: unknown) {
    if (Array.isArray(body)) return { items: await this.prices.upsert(parseInput('body field', priceList, body)) };
    if (typeof body !== 'object' || body === null) throw invalid('body', 'must be a JSON object or an array of them');
    return { items: await this.prices.upsert([parseInput('body field', priceInput, body)]) };
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a price override' })
  async remove(@Query() raw: unknown) {
    const q = parseInput('query parameter', deleteQuery, raw);
    await this.prices.remove(q.provider, q.model);
  }
}
