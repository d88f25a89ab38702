import { describe, expect, it } from 'vitest';
import { chTime, ident, join, p, render, sql } from './sql.js';

describe('sql', () => {
  it('renders typed placeholders and collects the values', () => {
    const where = join([sql`a = ${p.string('x')}`, sql`b > ${p.uint64(5n)}`], ' AND ');
    expect(render(sql`SELECT * FROM ${ident('otel.genai_calls')} WHERE ${where} LIMIT ${p.uint32(10)}`)).toEqual({
      text: 'SELECT * FROM otel.genai_calls WHERE a = {p0:String} AND b > {p1:UInt64} LIMIT {p2:UInt32}',
      params: { p0: 'x', p1: '5', p2: 10 },
    });
  });

  it('accepts no bare values', () => {
    const bare = 'x' as unknown as ReturnType<typeof p.string>;
    expect(() => sql`SELECT ${bare}`).toThrow(/accepts only/);
  });

  it('accepts only plain identifiers', () => {
    expect(() => ident('t; DROP TABLE x')).toThrow(/Not a safe SQL identifier/);
    expect(() => ident('a.b.c')).toThrow();
    expect(ident('otel.otel_traces').text).toBe('otel.otel_traces');
  });

  it('sends nanosecond timestamps exactly, never as a float', () => {
    expect(render(sql`${p.dateTime64(1763800000123456789n)}`).params).toEqual({ p0: '1763800000.123456789' });
    expect(render(sql`${p.dateTime64(new Date(1763800000123))}`).params).toEqual({ p0: '1763800000.123000000' });
    expect(chTime(1763800000007)).toBe('1763800000.007');
    expect(chTime(12_345)).toBe('0000000012.345');
    expect(chTime(0)).toBe('0000000000.000');
    expect(chTime(999.9)).toBe('0000000000.999');
    expect(() => p.float64(Number.NaN)).toThrow();
  });
});
