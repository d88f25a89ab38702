import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources: workspace packages resolve through their
// "kaizen-source" export condition, so no build is needed for in-process tests.
process.env.TZ = 'UTC';

const conditions = ['kaizen-source', 'node', 'import', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: process.env.CI ? ['default'] : ['default'],
    projects: [
      {
        extends: true,
        test: { name: 'clickhouse', include: ['clickhouse/{src,test}/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'collector', include: ['collector/{src,test}/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'instrumentation', include: ['instrumentation/{src,test}/**/*.test.ts'] },
      },
      {
        extends: true,
        // NestJS needs decorator metadata, which only SWC emits.
        plugins: [swc.vite({ module: { type: 'es6' } })],
        test: { name: 'server', include: ['server/{src,test}/**/*.test.ts', 'grafana/test/**/*.test.ts'] },
      },
    ],
  },
});
