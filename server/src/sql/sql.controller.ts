import { Body, Controller, Inject, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { READONLY_FORMATS } from '@kaizen/clickhouse';
import { parseInput } from '../common/validation.js';
import { SQL_CONTENT_TYPES, SqlService } from './sql.service.js';

const paramValue = z.union([
  z.string().max(100_000),
  z.number().finite(),
  z.boolean(),
  z.null(),
  z.array(z.union([z.string().max(10_000), z.number().finite(), z.boolean()])).max(10_000),
]);

export const sqlBody = z
  .object({
    query: z
      .string({ error: 'is required' })
      .min(1, 'must not be empty')
      .max(100_000, 'must be at most 100000 characters'),
    format: z
      .enum(Object.keys(READONLY_FORMATS) as [keyof typeof READONLY_FORMATS, ...(keyof typeof READONLY_FORMATS)[]], {
        error: `must be one of ${Object.keys(READONLY_FORMATS).join(', ')}`,
      })
      .optional(),
    params: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'names must be identifiers'), paramValue)
      .refine((r) => Object.keys(r).length <= 100, 'may hold at most 100 parameters')
      .optional(),
  })
  .strict();

@ApiTags('sql')
@Controller('api/sql')
export class SqlController {
  constructor(@Inject(SqlService) private readonly sql: SqlService) {}

  @Post()
  @ApiOperation({
    summary:
      "Run read-only SQL (enforced by ClickHouse's readonly mode, with time, row and byte limits); bind values as {name:Type} with params",
  })
  @ApiBody({ description: '{ query, format?: json|jsoneachrow|csv|tsv|pretty, params?: { name: value } }' })
  async run(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const b = parseInput('body field', sqlBody, body);
    const format = b.format ?? 'json';
    const out = await this.sql.run(b.query, format, b.params ?? {});
    void reply.status(200).header('content-type', SQL_CONTENT_TYPES[format]);
    return out;
  }
}
