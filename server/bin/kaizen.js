#!/usr/bin/env node
// The `kaizen` command. It runs the compiled CLI; `npm start` / `npm test` build it first.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  console.error('kaizen: the CLI is not built yet; run "npm run build" in the repository first.');
  process.exit(1);
}
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  console.error(`kaizen: Node ${process.versions.node} is too old; Kaizen needs Node >= 22.15.`);
  process.exit(1);
}
await import(main.href);
