import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_DOCS } from '../src/config/config.schema.js';
import { CONFIG_SECTIONS, configReference } from '../src/config/config.reference.js';

describe('docs/configuration.md', () => {
  it('places every variable of the schema in exactly one section', () => {
    const placed = CONFIG_SECTIONS.flatMap((s) => s.variables);
    expect([...placed].sort()).toEqual(Object.keys(CONFIG_DOCS).sort());
    expect(new Set(placed).size).toBe(placed.length);
  });

  it('is what the schema says (run `npm run docs:config` after changing it)', () => {
    const file = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    expect(file).toBe(configReference());
  });
});
