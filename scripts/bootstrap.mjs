#!/usr/bin/env node
// Makes a fresh clone runnable: installs npm dependencies when package-lock.json changed
// (or node_modules is missing) and, with --system, the Debian packages the tests use.
// Runs on the machine's own Node (it may be older than the pinned one), so it sticks to
// plain ESM with no dependencies.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stampFile = join(root, 'node_modules', '.kaizen-install-stamp');
const workspaces = ['clickhouse', 'collector', 'instrumentation', 'server'];

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (res.error) throw res.error;
  return res.status ?? 1;
}

function manifestHash() {
  const h = createHash('sha256');
  for (const f of ['package.json', 'package-lock.json', ...workspaces.map((w) => `${w}/package.json`)]) {
    const p = join(root, f);
    h.update(f);
    h.update(existsSync(p) ? readFileSync(p) : '');
  }
  return h.digest('hex');
}

function ensureNpmDependencies() {
  const want = manifestHash();
  const pinnedNode = join(root, 'node_modules', '.bin', 'node');
  if (existsSync(stampFile) && existsSync(pinnedNode) && readFileSync(stampFile, 'utf8') === want) return;
  // `npm install` honours package-lock.json exactly when it is in sync. (`npm ci` refuses this
  // lockfile: npm leaves other platforms' optional packages out of it, then calls it out of sync.)
  console.error('kaizen: installing npm dependencies …');
  const status = run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error']);
  if (status !== 0) {
    console.error('kaizen: npm dependency install failed (see the npm output above).');
    process.exit(status);
  }
  writeFileSync(stampFile, manifestHash());
}

function has(bin) {
  return spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
}

// Debian's Prometheus and Alertmanager are real parts of the alerting tests.
function ensureSystemPackages() {
  const missing = [];
  if (!has('promtool') || !has('prometheus')) missing.push('prometheus');
  if (!has('prometheus-alertmanager')) missing.push('prometheus-alertmanager');
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !has('apt-get')) {
    console.error(
      `kaizen: the alerting tests need Debian's ${missing.join(' and ')}; install them with ` +
        `"sudo apt-get install --no-install-recommends ${missing.join(' ')}".`,
    );
    return;
  }
  console.error(`kaizen: installing ${missing.join(', ')} from Debian …`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  const status = run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
  if (status !== 0) console.error('kaizen: apt-get install failed; the alerting tests will say what is missing.');
}

ensureNpmDependencies();
if (process.argv.includes('--system')) ensureSystemPackages();
