import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { openTempStore, type TempStore } from '@kaizen/clickhouse/testing';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createApp } from '../../src/app/app.factory.js';
import type { AppOptions } from '../../src/app/app.options.js';

export interface TestApp {
  readonly url: string;
  readonly app: NestFastifyApplication;
  readonly store: TempStore;
  readonly registry: Registry;
  /** fetch relative to the app, with the bearer token when `token` is given. */
  get(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  json<T = unknown>(path: string, init?: RequestInit & { token?: string }): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/** The real service on 127.0.0.1 over a real embedded ClickHouse in a temp directory. */
export async function startTestApp(env: Record<string, string> = {}, options: AppOptions = {}): Promise<TestApp> {
  const store = await openTempStore(env);
  const registry = new Registry();
  const logger = pino({ level: process.env['KAIZEN_TEST_LOG'] ?? 'silent' });
  const app = await createApp(
    { config: store.config, storage: store.storage, registry, logger },
    { background: false, ...options },
  );
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const get = (path: string, init: RequestInit & { token?: string } = {}) => {
    const { token, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    return fetch(`${url}${path}`, { ...rest, headers });
  };
  return {
    url,
    app,
    store,
    registry,
    get,
    async json<T>(path: string, init?: RequestInit & { token?: string }) {
      const r = await get(path, init);
      const text = await r.text();
      return { status: r.status, body: (text ? JSON.parse(text) : null) as T };
    },
    async close() {
      await app.close();
      await store.close();
    },
  };
}
