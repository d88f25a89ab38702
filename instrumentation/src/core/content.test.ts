import { describe, expect, it } from 'vitest';
import { serializeBounded, TRUNCATION_MARK } from './content.js';
import type { Json } from './messages.js';

const text = (content: string) => ({ type: 'text', content });
const msg = (role: string, ...parts: Json[]) => ({ role, parts });

describe('serializeBounded', () => {
  it('leaves JSON under the limit as it is', () => {
    const value = [msg('user', text('hi'))];
    expect(serializeBounded(value, 1000)).toEqual({ json: JSON.stringify(value), truncated: false });
  });

  it('shortens the longest strings first and marks each cut', () => {
    const value = [msg('system', text('short rules')), msg('user', text('x'.repeat(5000)))];
    const { json, truncated } = serializeBounded(value, 600);
    expect(truncated).toBe(true);
    expect(json.length).toBeLessThanOrEqual(600);
    const parsed = JSON.parse(json) as { parts: { content: string }[] }[];
    expect(parsed[0]?.parts[0]?.content).toBe('short rules');
    expect(parsed[1]?.parts[0]?.content.endsWith(TRUNCATION_MARK)).toBe(true);
    expect(parsed[1]?.parts[0]?.content.startsWith('xxxx')).toBe(true);
  });

  it('stays valid JSON whatever the limit, escapes and astral characters included', () => {
    const value = [
      msg('user', text('"quoted" \\ back\nslash '.repeat(200)), text('🚀改善'.repeat(300))),
      msg('assistant', { type: 'tool_call', id: 'c1', name: 'f', arguments: { deep: ['a'.repeat(900), 1, null] } }),
    ];
    for (const limit of [5000, 1200, 700, 300, 200, 120, 60, 10]) {
      const { json, truncated } = serializeBounded(value, limit);
      expect(truncated).toBe(true);
      expect(json.length).toBeLessThanOrEqual(Math.max(limit, 2));
      expect(() => JSON.parse(json) as unknown).not.toThrow();
      expect(json).not.toMatch(/\\ud83d(?!\\ude80)/); // no half of a surrogate pair
    }
  });

  it('drops messages from the middle, saying how many, when the structure alone is too long', () => {
    const value = Array.from({ length: 60 }, (_, i) => msg(i % 2 ? 'assistant' : 'user', text(`turn ${i}`)));
    const { json, truncated } = serializeBounded(value, 800);
    expect(truncated).toBe(true);
    expect(json.length).toBeLessThanOrEqual(800);
    const parsed = JSON.parse(json) as { role: string; parts: { content: string }[] }[];
    expect(parsed[0]?.parts[0]?.content).toBe('turn 0');
    expect(parsed.at(-1)?.parts[0]?.content).toBe('turn 59');
    const note = parsed.find((m) => m.parts[0]?.content.includes('message(s) left out'));
    expect(note?.parts[0]?.content).toMatch(/^…\[truncated\] \d+ message\(s\) left out$/);
    expect(parsed.length).toBeLessThan(60);
  });
});
