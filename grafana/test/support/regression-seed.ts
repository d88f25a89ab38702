import { createHash } from 'node:crypto';
import { messages } from '@kaizen/clickhouse/testing';
import type { SeedData, SeedRun, SeedSpan } from './seed-data.js';

const hex = (seed: string, bytes: number) =>
  createHash('sha256')
    .update(seed)
    .digest('hex')
    .slice(0, bytes * 2);

/**
 * A workflow whose cost per run jumps between two releases: 25 runs of release 1.0.0 on gpt-4.1-mini,
 * then 25 runs of 1.1.0 that send three times the input to gpt-4.1 (about 15× the cost per run), all
 * in the last half hour. Ids are unique per call, so a test can run it against any store.
 */
export function buildRegressionSeed(nowMs: number, runsPerRelease = 25) {
  const tag = hex(String(nowMs), 4);
  const service = 'shop';
  const workflow = `checkout-${tag}`;
  const spans: SeedSpan[] = [];
  const runs: SeedRun[] = [];
  for (let i = 0; i < runsPerRelease * 2; i++) {
    const release = i < runsPerRelease ? '1.0.0' : '1.1.0';
    const model = release === '1.0.0' ? 'gpt-4.1-mini' : 'gpt-4.1';
    const traceId = hex(`${tag}-t-${i}`, 16);
    const rootId = hex(`${tag}-r-${i}`, 8);
    const startMs = nowMs - 30 * 60_000 + i * 30_000;
    const callSpanIds: string[] = [];
    for (let k = 0; k < 2; k++) {
      const spanId = hex(`${tag}-c-${i}-${k}`, 8);
      callSpanIds.push(spanId);
      const input = (release === '1.0.0' ? 1000 : 3000) + ((i * 37 + k * 11) % 50);
      spans.push({
        traceId,
        spanId,
        parentSpanId: rootId,
        name: `chat ${model}`,
        kind: 'client',
        startMs: startMs + 10 + k * 1000,
        durationMs: 800,
        service,
        version: release,
        error: false,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': model,
          'gen_ai.response.model': model,
          'gen_ai.usage.input_tokens': input,
          'gen_ai.usage.output_tokens': 120 + (i % 7),
          'gen_ai.input.messages': messages(['user', `Check out basket ${i}.${k}`]),
          'kaizen.workflow.name': workflow,
        },
      });
    }
    spans.push({
      traceId,
      spanId: rootId,
      parentSpanId: '',
      name: `invoke_workflow ${workflow}`,
      kind: 'internal',
      startMs,
      durationMs: 2000,
      service,
      version: release,
      error: false,
      attributes: { 'gen_ai.operation.name': 'invoke_workflow', 'kaizen.workflow.name': workflow },
    });
    runs.push({ traceId, service, workflow, version: release, startMs, callSpanIds });
  }
  // gpt-4.1 costs 5× gpt-4.1-mini per token, and 1.1.0 sends 3× the input.
  return { data: { spans, runs } satisfies SeedData, service, workflow, expectedRatio: 10 };
}
