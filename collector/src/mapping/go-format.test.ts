import { describe, expect, it } from 'vitest';
import { BytesValue, goFloat, goJson, goJsonString, Int64Value, RawMap } from './go-format.js';

describe('Go formatting (pdata AsString)', () => {
  it.each([
    [0.2, '0.2'],
    [1, '1'],
    [-0, '-0'],
    [1e21, '1e+21'],
    [1e20, '100000000000000000000'],
    [1e-7, '1e-7'],
    [1.5e-7, '1.5e-7'],
    [0.000001, '0.000001'],
    [123456789.125, '123456789.125'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
  ])('formats the double %s as %s', (v, text) => {
    expect(goFloat(v)).toBe(text);
  });

  it('writes maps with keys sorted bytewise, the last of duplicate keys, and nested values', () => {
    const m = new RawMap([
      ['b', 'x'],
      ['a', new Int64Value('-5')],
      ['é', true],
      ['z', [1.5, null, new BytesValue(Buffer.from('hi'))]],
      ['a', new Int64Value('7')],
      ['\u{1F600}', 'astral'],
      ['\uffee', 'bmp'],
    ]);
    expect(goJson(m)).toBe('{"a":7,"b":"x","z":[1.5,null,"aGk="],"é":true,"\uffee":"bmp","\u{1F600}":"astral"}');
  });

  it('escapes like encoding/json without HTML escaping', () => {
    expect(goJsonString('<a href="x">&\u2028\u2029\b\f\n\r\t\u0001\u007f')).toBe(
      '"<a href=\\"x\\">&\\u2028\\u2029\\b\\f\\n\\r\\t\\u0001\u007f"',
    );
    expect(goJsonString('lone \ud800 surrogate')).toBe('"lone \ufffd surrogate"');
  });

  it('gives an empty string when Go could not encode the value (NaN or ±Inf inside)', () => {
    expect(goJson([1, NaN])).toBe('');
    expect(goJson(new RawMap([['x', [Infinity]]]))).toBe('');
    expect(goJson([])).toBe('[]');
    expect(goJson(new RawMap([]))).toBe('{}');
  });
});
