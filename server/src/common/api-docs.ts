import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';

/** The from/to/since query parameters every time-bounded list takes. */
export const ApiTimeRange = () =>
  applyDecorators(
    ApiQuery({
      name: 'from',
      required: false,
      description: 'ISO 8601, unix seconds, or a duration back from now (24h)',
    }),
    ApiQuery({
      name: 'to',
      required: false,
      description: 'ISO 8601, unix seconds, or a duration back from now; default now',
    }),
    ApiQuery({ name: 'since', required: false, description: 'shorthand for from, e.g. 7d' }),
  );

export const ApiPaging = () =>
  applyDecorators(
    ApiQuery({ name: 'limit', required: false, description: '1-500, default 50' }),
    ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' }),
  );
