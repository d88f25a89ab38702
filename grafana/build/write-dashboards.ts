/**
 * Writes grafana/dashboards/*.json and grafana/manifest.json from the dashboards in this folder.
 * Run after changing a dashboard: `npm run grafana:build` (tests fail while the files are stale).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderAll } from './index.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const [path, text] of await renderAll(root)) {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  process.stdout.write(`wrote grafana/${path}\n`);
}
