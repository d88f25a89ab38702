import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startCli } from './support/cli-process.js';
import { sendRuns } from './support/otlp.js';
import { runCli } from './support/run-cli.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'kaizen-cli-up-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('kaizen up', () => {
  it('runs store, collector, API and /metrics in one process, fed over real OTLP', async () => {
    const [api, http, grpc] = [await freePort(), await freePort(), await freePort()];
    const up = startCli(['up'], {
      KAIZEN_DATA_DIR: tempDir(),
      KAIZEN_API_PORT: String(api),
      KAIZEN_OTLP_HTTP_PORT: String(http),
      KAIZEN_OTLP_GRPC_PORT: String(grpc),
      KAIZEN_AUTO_ANALYZE: 'false',
    });
    try {
      await up.waitFor(/Press Ctrl\+C to stop/);
      expect(up.stdout()).toMatch(/Kaizen is up \(ready in \d+ ms\)/);
      expect(up.stdout()).toContain(`OTLP/HTTP  http://127.0.0.1:${http}`);
      expect(up.stdout()).toContain(`OTLP/gRPC  http://127.0.0.1:${grpc}`);
      expect((await fetch(`http://127.0.0.1:${api}/readyz`)).status).toBe(200);

      const [traceId] = await sendRuns(`http://127.0.0.1:${http}`, [
        {
          workflow: 'email-crew',
          startMs: Date.now() - 5000,
          calls: [{ model: 'gpt-4o', input: 1200, output: 80 }, { input: 300 }],
        },
      ]);
      const run = await until(async () => {
        const r = (await (await fetch(`http://127.0.0.1:${api}/api/workflows/${traceId}`)).json()) as {
          run?: { calls: number; workflow: string };
        };
        return r.run?.calls === 2 ? r.run : undefined;
      });
      expect(run.workflow).toBe('email-crew');
      const metrics = await (await fetch(`http://127.0.0.1:${api}/metrics`)).text();
      expect(metrics).toMatch(/kaizen_collector_received_total\{signal="traces",protocol="http"\} 3/);
      expect(metrics).toMatch(
        /kaizen_genai_calls_total\{service="mailer",provider="openai",model="gpt-4o",workflow="email-crew",status="ok"\} 1/,
      );
    } finally {
      expect(await up.stop('SIGINT')).toBe(0);
    }
    expect(up.stdout()).toContain('Stopped.');
  });

  it('names the OTLP port and its variable when it is taken', async () => {
    const [api, http, grpc] = [await freePort(), await freePort(), await freePort()];
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(http, '127.0.0.1', r));
    try {
      const r = await runCli(['up'], {
        KAIZEN_DATA_DIR: tempDir(),
        KAIZEN_API_PORT: String(api),
        KAIZEN_OTLP_HTTP_PORT: String(http),
        KAIZEN_OTLP_GRPC_PORT: String(grpc),
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(String(http));
      expect(r.stderr).toContain('KAIZEN_OTLP_HTTP_PORT');
    } finally {
      blocker.close();
    }
  });
});
