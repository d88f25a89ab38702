import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { BearerAuthGuard } from '../common/auth.guard.js';
import { KaizenExceptionFilter } from '../common/http-exception.filter.js';
import { PinoNestLogger } from '../common/logger.js';
import { AppModule } from './app.module.js';
import type { AppOptions } from './app.options.js';
import type { CoreDeps } from './core.module.js';

/** Request bodies are small JSON (price overrides, SQL text); anything bigger is refused with 413. */
const BODY_LIMIT = 1024 * 1024;

/**
 * Builds the Kaizen service (not yet listening): REST API under /api, OpenAPI at /api/docs,
 * /healthz, /readyz and /metrics, with bearer auth, CORS (when configured) and one error shape.
 */
export async function createApp(deps: CoreDeps, options: AppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT,
    requestIdHeader: 'x-request-id',
    routerOptions: { maxParamLength: 256 },
  });
  // JSON bodies only: Fastify's own JSON parser (it refuses __proto__ keys); anything else is a 415, so
  // a plain HTML form on another site cannot post to the API (no CSRF through form or text bodies).
  adapter.getInstance().removeContentTypeParser(['text/plain']);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(deps, options), adapter, {
    logger: new PinoNestLogger(deps.logger),
    abortOnError: false,
    bodyParser: false,
  });
  app.useGlobalFilters(new KaizenExceptionFilter(deps.logger));
  app.useGlobalGuards(
    new BearerAuthGuard({ apiToken: deps.config.apiToken, protectMetrics: deps.config.api.metricsAuth }),
  );
  const origins = deps.config.api.corsOrigins;
  if (origins) app.enableCors({ origin: [...origins], methods: ['GET', 'PUT', 'POST', 'DELETE'], credentials: false });
  const doc = new DocumentBuilder()
    .setTitle('Kaizen API')
    .setDescription('Find and price the waste in LLM and multi-agent applications.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, doc), {
    jsonDocumentUrl: 'api/docs-json',
  });
  await app.init();
  return app;
}
