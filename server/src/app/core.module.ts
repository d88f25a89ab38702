import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { KaizenConfig, Storage } from '@kaizen/clickhouse';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { KAIZEN_CONFIG, LOGGER, METRICS_REGISTRY, STORAGE } from '../common/tokens.js';

export interface CoreDeps {
  readonly config: KaizenConfig;
  readonly storage: Storage;
  readonly registry: Registry;
  readonly logger: Logger;
}

/** What every feature module may inject: the config, the store, the metrics registry, the logger. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(deps: CoreDeps): DynamicModule {
    const providers = [
      { provide: KAIZEN_CONFIG, useValue: deps.config },
      { provide: STORAGE, useValue: deps.storage },
      { provide: METRICS_REGISTRY, useValue: deps.registry },
      { provide: LOGGER, useValue: deps.logger },
    ];
    return { module: CoreModule, providers, exports: providers.map((p) => p.provide) };
  }
}
