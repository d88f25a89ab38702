import { describe, expect, it } from 'vitest';
import { Redactor, type RedactionKind } from './redactor.js';

function counting(opts: { pii?: boolean; secrets?: boolean } = {}) {
  const counts: Partial<Record<RedactionKind, number>> = {};
  const r = new Redactor({ ...opts, onRedact: (k) => (counts[k] = (counts[k] ?? 0) + 1) });
  return { r, counts };
}

describe('Redactor', () => {
  it('redacts secrets by default and counts each', () => {
    const { r, counts } = counting();
    expect(r.text('key sk-proj-abcdefghijklmnopqrstuvwxyz0123 used')).toBe('key [REDACTED:api_key] used');
    expect(r.text('Authorization: Bearer abc.def-ghi_jkl~mno+pqr/stu=')).toBe(
      'Authorization: Bearer [REDACTED:bearer]',
    );
    expect(r.text('aws AKIAABCDEFGHIJKLMNOP and gh ghp_' + 'a'.repeat(36))).toBe(
      'aws [REDACTED:api_key] and gh [REDACTED:api_key]',
    );
    expect(r.text('google AIza' + 'B'.repeat(35))).toBe('google [REDACTED:api_key]');
    expect(r.text('anthropic sk-ant-api03-' + 'x'.repeat(40))).toBe('anthropic [REDACTED:api_key]');
    expect(
      r.text('jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'),
    ).toBe('jwt [REDACTED:bearer]');
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\nabc+/=\n-----END RSA PRIVATE KEY-----';
    expect(r.text(`before ${pem} after`)).toBe('before [REDACTED:private_key] after');
    expect(counts).toEqual({ api_key: 5, bearer: 2, private_key: 1 });
  });

  it('keeps JSON content valid when it redacts inside it', () => {
    const { r } = counting({ pii: true });
    const content = JSON.stringify([
      {
        role: 'user',
        parts: [
          {
            type: 'text',
            content:
              'my key is sk-abcdefghijklmnopqrstuvwx, mail me at jane.doe@example.com\n' +
              '-----BEGIN PRIVATE KEY-----\nMIIBVQ\n"quoted" end',
          },
        ],
      },
    ]);
    const out = r.text(content);
    expect(() => JSON.parse(out)).not.toThrow();
    expect(out).toContain('[REDACTED:api_key]');
    expect(out).toContain('[REDACTED:email]');
    expect(out).toContain('[REDACTED:private_key]');
    expect(out).toContain('\\"quoted\\" end');
  });

  it('leaves personal data alone unless asked', () => {
    const { r, counts } = counting();
    const text = 'Call +1 415 555 0132 or mail a@b.io, card 4111 1111 1111 1111';
    expect(r.text(text)).toBe(text);
    expect(counts).toEqual({});
  });

  it('redacts emails, phone numbers and Luhn-valid card numbers when asked', () => {
    const { r, counts } = counting({ pii: true });
    expect(r.text('mail jane.doe+x@mail.example.co.uk now')).toBe('mail [REDACTED:email] now');
    expect(r.text('card 4111 1111 1111 1111 ok')).toBe('card [REDACTED:card] ok');
    expect(r.text('card 4111-1111-1111-1112 fails Luhn')).toBe('card 4111-1111-1111-1112 fails Luhn');
    expect(r.text('order 1234567890123 is not a card')).toBe('order 1234567890123 is not a card');
    expect(r.text('call +1 (415) 555-0132 or +441632960961')).toBe('call [REDACTED:phone] or [REDACTED:phone]');
    expect(r.text('version 1.2.3 at 12:30, total 415.55, id 2024-06-01')).toBe(
      'version 1.2.3 at 12:30, total 415.55, id 2024-06-01',
    );
    expect(counts).toEqual({ email: 1, card: 1, phone: 2 });
  });

  it('redacts whole values of secret-named attributes', () => {
    const { r, counts } = counting();
    expect(r.attribute('http.request.header.authorization', '["Basic dXNlcjpwYXNz"]')).toBe('[REDACTED:bearer]');
    expect(r.attribute('db.password', 'hunter2')).toBe('[REDACTED:secret]');
    expect(r.attribute('openai.api_key', 'whatever')).toBe('[REDACTED:api_key]');
    expect(r.attribute('gen_ai.usage.input_tokens', '812')).toBe('812');
    expect(r.attribute('llm.token_count.prompt', '12')).toBe('12');
    expect(counts).toEqual({ bearer: 1, secret: 1, api_key: 1 });
  });

  it('does nothing when switched off', () => {
    const r = new Redactor({ secrets: false, pii: false });
    expect(r.enabled).toBe(false);
    expect(r.text('Bearer abcdefghijklmnop')).toBe('Bearer abcdefghijklmnop');
    expect(r.attribute('db.password', 'x')).toBe('x');
  });
});
