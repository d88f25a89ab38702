import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startTestApp, type TestApp } from './support/app-harness.js';

let t: TestApp;
const dir = mkdtempSync(join(tmpdir(), 'kaizen-grafana-'));

beforeAll(async () => {
  mkdirSync(join(dir, 'dashboards'));
  mkdirSync(join(dir, 'alerting'));
  writeFileSync(
    join(dir, 'dashboards', 'overview.json'),
    JSON.stringify({ uid: 'kaizen-overview', title: 'Kaizen overview', panels: [] }),
  );
  writeFileSync(
    join(dir, 'dashboards', 'waste.json'),
    JSON.stringify({ uid: 'kaizen-waste', title: 'Waste findings', panels: [] }),
  );
  writeFileSync(
    join(dir, 'alerting', 'cost.rules.yml'),
    'groups:\n  - name: cost\n    rules:\n      - alert: A\n        expr: vector(1)\n',
  );
  writeFileSync(
    join(dir, 'alerting', 'collector.rules.yml'),
    'groups:\n  - name: collector\n    rules:\n      - alert: B\n        expr: vector(0)\n',
  );
  t = await startTestApp({}, { grafanaDir: dir });
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('/api/export', () => {
  it('lists and serves dashboards by uid', async () => {
    expect((await t.json('/api/export/grafana')).body).toEqual({
      items: [
        { uid: 'kaizen-overview', title: 'Kaizen overview', file: 'overview.json' },
        { uid: 'kaizen-waste', title: 'Waste findings', file: 'waste.json' },
      ],
    });
    const r = await t.get('/api/export/grafana/kaizen-waste');
    expect(r.headers.get('content-type')).toMatch(/application\/json/);
    expect(await r.json()).toMatchObject({ uid: 'kaizen-waste' });
    expect((await t.get('/api/export/grafana/nope')).status).toBe(404);
    expect((await t.get('/api/export/grafana/..%2F..%2Fetc%2Fpasswd')).status).toBe(400);
  });

  it('serves the alert rules as one Prometheus rule document', async () => {
    const r = await t.get('/api/export/prometheus-rules');
    expect(r.headers.get('content-type')).toMatch(/yaml/);
    const doc = parse(await r.text()) as { groups: { name: string }[] };
    expect(doc.groups.map((g) => g.name)).toEqual(['collector', 'cost']);
  });
});
