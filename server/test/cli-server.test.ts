import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startCli } from './support/cli-process.js';
import { runCli } from './support/run-cli.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'kaizen-cli-server-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('kaizen server', () => {
  it('prints its URLs, serves the API, and shuts down gracefully on SIGTERM', async () => {
    const port = await freePort();
    const p = startCli(['server'], { KAIZEN_DATA_DIR: tempDir(), KAIZEN_API_PORT: String(port) });
    try {
      await p.waitFor(/Press Ctrl\+C to stop/);
      expect(p.stdout()).toMatch(/Kaizen service is up \(ready in \d+ ms\)/);
      expect(p.stdout()).toContain(`http://127.0.0.1:${port}/metrics`);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      const runs = await fetch(`http://127.0.0.1:${port}/api/workflows`);
      expect(await runs.json()).toEqual({ items: [], nextCursor: null });
    } finally {
      expect(await p.stop('SIGTERM')).toBe(0);
    }
    expect(p.stdout()).toContain('Stopped.');
  });

  it('names the port and the variable when the port is taken', async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r));
    try {
      const r = await runCli(['server'], { KAIZEN_DATA_DIR: tempDir(), KAIZEN_API_PORT: String(port) });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        `Port ${port} on 127.0.0.1 is already in use by another process: stop it, or choose another port with KAIZEN_API_PORT.`,
      );
    } finally {
      blocker.close();
    }
  });
});
