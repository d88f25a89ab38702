/**
 * `npm run bench:overhead`: the median time an instrumentation adds to one model call, against the
 * same local OpenAI stub: uninstrumented, ours, and the peers. Each variant runs in its own process
 * (overhead-variant.ts) and pairs instrumented with uninstrumented calls in that process.
 *
 * @opentelemetry/instrumentation-openai 0.22 and @traceloop/instrumentation-openai 0.27 patch
 * openai <7 only (on openai 7 they patch nothing), so they run on openai 6, and so does ours for
 * the side-by-side; openlit and OpenInference run on openai 7 like ours.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startStubServer } from '../test/support/stub-server.ts';
import type { VariantResult } from './overhead-variant.ts';

const TARGET_US = 15;
const VARIANTS = ['none-7', 'kaizen-7', 'openinference-7', 'openlit-7', 'kaizen-6', 'contrib-6', 'traceloop-6'];

const variantScript = fileURLToPath(new URL('./overhead-variant.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

function runVariant(variant: string, stubUrl: string): Promise<VariantResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [variantScript, variant],
      { env: { ...process.env, STUB_URL: stubUrl }, maxBuffer: 16 * 1024 * 1024, timeout: 600_000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`${variant}: ${stderr || error.message}`));
        const line = stdout.trim().split('\n').at(-1) ?? '';
        resolve(JSON.parse(line) as VariantResult);
      },
    );
  });
}

const stub = await startStubServer();
const results: VariantResult[] = [];
try {
  for (const variant of VARIANTS) {
    const result = await runVariant(variant, stub.url);
    results.push(result);
    process.stderr.write(`${variant}: +${result.addedMedianUs.toFixed(1)} µs (median)\n`);
  }
} finally {
  await stub.close();
}

const fmt = (n: number) => n.toFixed(1).padStart(8);
const rows = results.map(
  (r) =>
    `${r.instrumentation.padEnd(14)} ${r.sdk.padEnd(14)} ${fmt(r.baselineMedianUs)} ${fmt(r.instrumentedMedianUs)} ${fmt(r.addedMedianUs)} ${fmt(r.addedP25Us)} ${fmt(r.addedP75Us)} ${String(r.spans).padStart(6)}`,
);
const load = loadavg()
  .map((l) => l.toFixed(1))
  .join(' ');
process.stdout.write(
  [
    `Time added per chat.completions.create, µs (${results[0]?.pairs ?? 0} paired calls each; ${cpus().length} CPUs, load ${load})`,
    `${'instrumentation'.padEnd(14)} ${'sdk'.padEnd(14)} ${'baseline'.padStart(8)} ${'instr.'.padStart(8)} ${'added'.padStart(8)} ${'p25'.padStart(8)} ${'p75'.padStart(8)} ${'spans'.padStart(6)}`,
    ...rows,
    `target: ≤ ${TARGET_US} µs added (median), less than every peer`,
    '',
  ].join('\n'),
);

const ours = results.filter((r) => r.instrumentation === 'kaizen');
const peers = results.filter((r) => r.instrumentation !== 'kaizen' && r.instrumentation !== 'none');
const summary = {
  name: 'overhead',
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  loadAverage: loadavg(),
  targetAddedMedianUs: TARGET_US,
  meetsTarget: ours.every((r) => r.addedMedianUs <= TARGET_US),
  lessThanEveryPeer: ours.every((o) => peers.every((p) => o.addedMedianUs < p.addedMedianUs)),
  results,
};
mkdirSync(`${repoRoot}.bench`, { recursive: true });
writeFileSync(`${repoRoot}.bench/overhead.json`, `${JSON.stringify(summary, null, 2)}\n`);
