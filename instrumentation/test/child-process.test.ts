import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecodedSpan } from './support/otlp-proto.decoder.js';
import { startOtlpReceiver, type OtlpReceiver } from './support/otlp-receiver.js';
import { snapshotOf } from './support/span-snapshot.js';
import { startStubServer, type StubServer } from './support/stub-server.js';

/**
 * Real applications in child processes, against the built package (`tsc -b` first): an ES-module
 * app under `node --import @kaizen/instrumentation/register`, a CommonJS app that require()s the
 * package and calls register(). Their spans travel over OTLP/protobuf to a receiver in this test.
 */

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

let stub: StubServer;
let receiver: OtlpReceiver;
beforeAll(async () => {
  if (!existsSync(new URL('../dist/index.js', import.meta.url))) {
    throw new Error('build the package first: tsc -b instrumentation');
  }
  stub = await startStubServer();
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await stub.close();
  await receiver.close();
});

function run(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      {
        cwd: packageDir,
        env: { ...process.env, STUB_URL: stub.url, OTEL_BSP_SCHEDULE_DELAY: '100', NODE_OPTIONS: '', ...env },
        timeout: 60_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const modelCalls = (spans: DecodedSpan[], service: string) =>
  spans.filter((s) => s.resource['service.name'] === service && s.kind === 3);

describe('an ES-module app under node --import @kaizen/instrumentation/register', () => {
  it('patches every SDK imported statically, and exports the spans with content and fingerprints', async () => {
    const result = await run(['--import', '@kaizen/instrumentation/register', fixture('esm-app.mjs')], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_HEADERS: 'x-esm-app=yes',
      OTEL_SERVICE_NAME: 'esm-app',
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('esm-app done');
    const spans = await receiver.waitFor((s) => s.some((x) => x.name === 'invoke_workflow esm-app'));
    const calls = modelCalls(spans, 'esm-app');
    expect(calls.map((s) => [s.scope, s.name])).toEqual([
      ['@kaizen/instrumentation/openai', 'chat gpt-4o-mini'],
      ['@kaizen/instrumentation/openai', 'chat gpt-4o-mini'],
      ['@kaizen/instrumentation/anthropic', 'chat claude-sonnet-5-5'],
      ['@kaizen/instrumentation/google-genai', 'generate_content gemini-2.5-flash'],
      ['@kaizen/instrumentation/google-generative-ai', 'generate_content gemini-1.5-flash'],
    ]);
    for (const call of calls) {
      expect(call.attributes['kaizen.workflow.name']).toBe('esm-app');
      expect(call.attributes['user.id']).toBe('esm-user');
      expect(call.attributes['kaizen.prompt.hash']).toMatch(/^\d+$/);
      expect(call.attributes['gen_ai.usage.output_tokens']).toBe(17);
    }
    const { attributes, ...rest } = snapshotOf(calls[1]!);
    expect(rest).toEqual({ name: 'chat gpt-4o-mini', kind: 'CLIENT', status: 'UNSET' });
    expect(attributes['gen_ai.input.messages']).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Stream from ESM' }] },
    ]);
    expect(attributes['gen_ai.request.stream']).toBe(true);
    // The Anthropic SDK's own call span is not exported beside ours.
    expect(spans.some((s) => s.name === 'anthropic.messages.create')).toBe(false);
    expect(receiver.headers.some((h) => h['x-esm-app'] === 'yes')).toBe(true);
  });

  it('exports what a short script recorded, when it exits without shutting down', async () => {
    const result = await run(['--import', '@kaizen/instrumentation/register', fixture('no-shutdown.mjs')], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'no-shutdown',
      OTEL_BSP_SCHEDULE_DELAY: '60000',
    });
    expect(result.stdout).toContain('no-shutdown done');
    const spans = await receiver.waitFor((s) => modelCalls(s, 'no-shutdown').length === 1);
    expect(modelCalls(spans, 'no-shutdown')[0]?.attributes['gen_ai.input.messages']).toBe(
      '[{"role":"user","parts":[{"type":"text","content":"exit soon"}]}]',
    );
  });
});

describe('a CommonJS app that require()s the package and calls register()', () => {
  it('patches the SDKs it requires afterwards, with register()’s options', async () => {
    const result = await run([fixture('cjs-app.cjs')], {
      RECEIVER_URL: receiver.url,
      KAIZEN_INGEST_TOKEN: 'ingest-token-123',
      KAIZEN_CAPTURE_CONTENT: 'false',
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('cjs-app done');
    const spans = await receiver.waitFor((s) => s.some((x) => x.name === 'invoke_workflow cjs-app'));
    const calls = modelCalls(spans, 'cjs-app');
    expect(calls.map((s) => s.name)).toEqual([
      'chat gpt-4o-mini',
      'chat claude-sonnet-5-5',
      'generate_content gemini-2.5-flash',
      'generate_content gemini-1.5-flash',
    ]);
    for (const call of calls) {
      expect(call.attributes['kaizen.workflow.name']).toBe('cjs-app');
      // KAIZEN_CAPTURE_CONTENT=false: no content, fingerprints still.
      expect(call.attributes['gen_ai.input.messages']).toBeUndefined();
      expect(call.attributes['kaizen.prompt.hash']).toMatch(/^\d+$/);
    }
    expect(calls[1]?.attributes['gen_ai.usage.input_tokens']).toBe(50);
    const exportHeaders = receiver.headers.find((h) => h['x-fixture'] === 'cjs');
    expect(exportHeaders?.['authorization']).toBe('Bearer ingest-token-123');
  });
});

describe('register() with bad configuration', () => {
  it('warns instead of throwing, and a second call keeps the first registration', async () => {
    const result = await run([fixture('bad-config.mjs')], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('same registration\nbad-config done\n');
  });
});
