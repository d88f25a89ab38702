/**
 * The root npm scripts a newcomer runs first on a fresh clone. A script that installs the
 * dependencies (scripts/bootstrap.mjs, on the machine's own Node) must run what follows through a
 * new `npm run`: the shell running the script looked `node` up before the install put the pinned
 * one in node_modules/.bin, and it remembers that lookup, so a later `node …` in the same script
 * would run on the machine's older Node ("Node 20 is too old" on the very first `npm run demo`).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  scripts: Record<string, string>;
  engines: { node: string };
  devDependencies: Record<string, string>;
};

const bootstrapping = Object.entries(pkg.scripts).filter(([, s]) => s.includes('scripts/bootstrap.mjs'));

describe('root npm scripts', () => {
  it('the README commands install first: npm test, npm run demo and npm start', () => {
    expect(bootstrapping.map(([name]) => name).sort()).toEqual(['demo', 'start', 'test']);
  });

  it.each(bootstrapping)('%s runs everything after the install in a new npm run (the pinned Node)', (_name, script) => {
    const steps = script.split('&&').map((s) => s.trim());
    expect(steps[0]).toMatch(/^node scripts\/bootstrap\.mjs( --system)?$/);
    expect(steps).toHaveLength(2);
    expect(steps[1]).toMatch(/^npm run -s [\w:]+( --)?$/);
    expect(pkg.scripts[steps[1]!.split(' ')[3]!], `${steps[1]} exists`).toBeDefined();
  });

  it('passes arguments through (npm run demo -- --runs 40 --exit)', () => {
    expect(pkg.scripts['demo']).toMatch(/ --$/);
    expect(pkg.scripts['demo:run']).toMatch(/kaizen\.js demo$/);
  });

  it('pins Node 24 for its own scripts and states Node >= 22.15 for users', () => {
    expect(pkg.devDependencies['node']).toMatch(/^24\./);
    expect(pkg.engines.node).toBe('>=22.15');
  });
});
