import { describe, expect, it } from 'vitest';
import { detectAgentLoops } from '../../src/analysis/detectors/agent-loop.detector.js';
import { detectHistoryGrowth } from '../../src/analysis/detectors/history-growth.detector.js';
import { detectModelOverkill } from '../../src/analysis/detectors/model-overkill.detector.js';
import { detectOversizedExamples } from '../../src/analysis/detectors/oversized-examples.detector.js';
import { detectRetryWaste } from '../../src/analysis/detectors/retry-waste.detector.js';
import { detectUncachedPrefix } from '../../src/analysis/detectors/uncached-prefix.detector.js';
import { detectUnusedContext } from '../../src/analysis/detectors/unused-context.detector.js';
import { call, context, run, tool } from './support/calls.js';

/** Each detector on crafted positives and on the traps that look like waste but are not. */

const sum = (m: ReadonlyMap<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
const MIN = 60_000;

describe('model_overkill', () => {
  it('flags a classification on a frontier model, priced against the family tier below', () => {
    const c = call({
      model: 'gpt-4.1',
      user: 'Classify the ticket into billing, technical, shipping or other. Reply with the category only.\n\nTicket: charged twice',
      output: 'billing',
      inputTokens: 400,
      outputTokens: 2,
    });
    const [f] = detectModelOverkill(context(run([c])));
    expect(f).toMatchObject({ kind: 'model_overkill', spanIds: [c.spanId] });
    expect(f!.evidenceData).toMatchObject({ shape: 'classification', model: 'gpt-4.1', cheaperModel: 'gpt-4.1-mini' });
    // gpt-4.1-mini costs a fifth of gpt-4.1 for these tokens.
    expect(sum(f!.savingBySpan)).toBeCloseTo(c.costUSD * 0.8, 10);
    expect(f!.recommendation).toMatch(/verify first with an evaluation/i);
  });

  it('leaves open-ended work, tool use and small models alone', () => {
    const essay = call({
      model: 'gpt-4.1',
      user: 'Write a detailed report on our cloud costs with trade-offs.',
      output: 'x'.repeat(40),
    });
    const withTools = call({ model: 'gpt-4.1', user: 'Classify this ticket: refund', output: 'billing', toolCount: 2 });
    const small = call({ model: 'gpt-4.1-mini', user: 'Classify this ticket: refund', output: 'billing' });
    const reasoning = call({
      model: 'claude-sonnet-4-5',
      user: 'Think step by step: is clause 4 enforceable? Answer yes or no.',
      output: 'no',
    });
    expect(detectModelOverkill(context(run([essay, withTools, small, reasoning])))).toEqual([]);
  });
});

describe('prompt_bloat/uncached_prefix', () => {
  const system = 'Rule: cite sources and keep bullets short. '.repeat(120); // about 1,300 tokens
  it('prices provider caching with the cache read price and a hit ratio below 100 %', () => {
    const calls = [0, 1, 2, 3].map((i) =>
      call({ model: 'claude-sonnet-4-5', system, user: `Question ${i}: summarize source ${i}`, at: 1e6 + i * MIN }),
    );
    const [f] = detectUncachedPrefix(context(run(calls)));
    expect(f).toMatchObject({ subkind: 'uncached_prefix', spanIds: calls.map((c) => c.spanId) });
    const prefix = f!.evidenceData['prefixTokens'] as number;
    expect(prefix).toBeGreaterThan(1200);
    // Sonnet: write 1.25x (3.75), read 0.1x (0.3); 3 of 4 calls within the 5-minute TTL, 90 % hit ratio.
    const perHit = prefix * (3 - (0.9 * 0.3 + 0.1 * 3.75));
    const firstWrite = prefix * (3.75 - 3);
    // (The evidence rounds the prefix to whole tokens.)
    expect(sum(f!.savingBySpan) / ((3 * perHit - firstWrite) / 1e6)).toBeCloseTo(1, 3);
    expect(f!.evidenceData['hitRatio']).toBe(0.9);
  });

  it('says nothing when the prefix is below the minimum, already cached, or the calls are hours apart', () => {
    const small = [0, 1, 2].map((i) =>
      call({ model: 'gpt-4.1', system: 'Be brief.'.repeat(20), user: `q${i}`, at: 1e6 + i * MIN }),
    );
    const cached = [0, 1, 2].map((i) =>
      call({ model: 'gpt-4.1', system, user: `q${i}`, at: 2e6 + i * MIN, ...(i > 0 ? { cacheReadTokens: 1300 } : {}) }),
    );
    const apart = [0, 1].map((i) =>
      call({ model: 'gpt-4.1', system: `${system} v2`, user: `q${i}`, at: 3e8 + i * 3600 * 1000 }),
    );
    expect(detectUncachedPrefix(context(run([...small, ...cached, ...apart])))).toEqual([]);
  });
});

describe('prompt_bloat/history_growth', () => {
  it('prices a sliding window over a conversation that resends its history', () => {
    const msgs: [string, string][] = [];
    const turns = [];
    for (let t = 0; t < 6; t++) {
      msgs.push(['user', `Section ${t}: ${'notes about revenue and churn '.repeat(20)}`]);
      turns.push(
        call({
          model: 'claude-sonnet-4-5',
          messages: [...msgs],
          output: `v${t}`,
          agent: 'summarizer',
          at: 1e6 + t * 5000,
        }),
      );
      msgs.push(['assistant', `Briefing version ${t}: ${'summary text '.repeat(15)}`]);
    }
    const [f] = detectHistoryGrowth(context(run(turns)));
    expect(f).toMatchObject({ subkind: 'history_growth', spanIds: turns.map((c) => c.spanId) });
    expect(f!.savingBySpan.size).toBeGreaterThan(0);
    for (const [span, v] of f!.savingBySpan)
      expect(v).toBeLessThanOrEqual(turns.find((c) => c.spanId === span)!.costUSD);
  });

  it('ignores short conversations and independent calls', () => {
    const a = call({ messages: [['user', 'hello']], agent: 'chat' });
    const b = call({
      messages: [
        ['user', 'hello'],
        ['assistant', 'ok'],
        ['user', 'more'],
      ],
      agent: 'chat',
    });
    const c = call({ user: 'unrelated '.repeat(200), agent: 'chat' });
    expect(detectHistoryGrowth(context(run([a, b, c])))).toEqual([]);
  });
});

describe('prompt_bloat/unused_context', () => {
  const relevant = 'Refunds for duplicate charges are issued to the original payment method within five business days.';
  const offTopic = [
    'The cafeteria menu rotates weekly and includes vegetarian and vegan options every single day of the week.',
    'Parking permits for the visitor garage can be requested from facilities two working days in advance of arrival.',
    'Fire drills are held twice a year and everyone leaves the building through the nearest marked exit quickly.',
  ].map((s) => `${s} ${s.toLowerCase()}`);
  it('finds retrieved blocks the answer neither cites nor echoes', () => {
    const prompt = `Use the articles below.\n\n[1] ${relevant}\n\n${offTopic.map((t, i) => `[${i + 2}] ${t}`).join('\n\n')}\n\nTicket: I was charged twice.`;
    const c = call({
      user: prompt,
      output: 'Duplicate charges are refunded to the original payment method within five business days [1].',
    });
    const [f] = detectUnusedContext(context(run([c])));
    expect(f).toMatchObject({ subkind: 'unused_context', spanIds: [c.spanId] });
    expect(f!.evidenceData).toMatchObject({ blocks: 4, unusedBlocks: 3 });
  });

  it('keeps blocks the answer uses', () => {
    const prompt = `[1] ${relevant}\n\n[2] ${offTopic[0]!}\n\nQuestion: what is on the menu and how do refunds work?`;
    const c = call({
      user: prompt,
      output:
        'Refunds go to the original payment method [1]; the cafeteria menu rotates weekly with vegan options [2].',
    });
    expect(detectUnusedContext(context(run([c])))).toEqual([]);
  });
});

describe('prompt_bloat/oversized_examples', () => {
  const examples = (n: number) =>
    Array.from(
      { length: n },
      (_, i) => `Example ${i + 1}:\nInput: expense line number ${i}\nOutput: category ${i % 3}`,
    ).join('\n\n');
  it('keeps two of ten few-shot examples', () => {
    const system = `Classify each expense line.\n\n${examples(10)}`;
    const calls = [0, 1].map((i) =>
      call({ model: 'gemini-2.5-flash-lite', system, user: `Input: item ${i}\nOutput:` }),
    );
    const [f] = detectOversizedExamples(context(run(calls)));
    expect(f).toMatchObject({ subkind: 'oversized_examples' });
    expect(f!.evidenceData).toMatchObject({ examples: 10, keep: 2 });
  });

  it('leaves a handful of examples alone', () => {
    const calls = [0, 1].map((i) => call({ system: `Classify.\n\n${examples(3)}`, user: `Input: item ${i}` }));
    expect(detectOversizedExamples(context(run(calls)))).toEqual([]);
  });
});

describe('retry_waste', () => {
  it('counts a truncated answer asked again, and a failed call retried', () => {
    const cut = call({
      user: 'Summarize the payment risks',
      finish: 'length',
      maxTokens: 200,
      outputTokens: 200,
      at: 1e6,
    });
    const ok = call({ user: 'Summarize the payment risks', maxTokens: 1000, outputTokens: 600, at: 1e6 + 9000 });
    const err = call({ user: 'List the invoices due this week', error: '503', at: 2e6 });
    const ok2 = call({ user: 'List the invoices due this week', at: 2e6 + 2000 });
    const findings = detectRetryWaste(context(run([cut, ok, err, ok2])));
    expect(findings.map((f) => f.spanIds)).toEqual([
      [cut.spanId, ok.spanId],
      [err.spanId, ok2.spanId],
    ]);
    expect(sum(findings[0]!.savingBySpan)).toBeCloseTo(cut.costUSD, 12);
    expect(findings[0]!.recommendation).toMatch(/raise max_tokens above 200/);
  });

  it('ignores a failure nobody retried and a different follow-up request', () => {
    const err = call({ user: 'Translate the contract', error: '429', at: 1e6 });
    const other = call({ user: 'Summarize the contract', at: 1e6 + 1000 });
    expect(detectRetryWaste(context(run([err, other])))).toEqual([]);
  });
});

describe('agent_loop', () => {
  it('finds the same tool call with the same result, and prices the turns that read it', () => {
    const q = '{"query":"edge AI market size 2025"}';
    const res = '[{"title":"Edge AI market report"}]';
    const calls = [0, 1, 2, 3, 4].map((i) =>
      call({ model: 'claude-sonnet-4-5', user: `turn ${i}`, agent: 'researcher', at: 1e6 + i * 2000 }),
    );
    const tools = [0, 1, 2, 3].map((i) => tool('web_search', q, res, 1e6 + i * 2000 + 1000, 'researcher'));
    const [f] = detectAgentLoops(context(run(calls, tools)));
    expect(f).toMatchObject({ kind: 'agent_loop' });
    expect([...f!.savingBySpan.keys()]).toEqual([calls[2]!.spanId, calls[3]!.spanId, calls[4]!.spanId]);
  });

  it('treats a poll whose result changes as progress', () => {
    const polls = ['running 10%', 'running 55%', 'done'].map((r, i) =>
      tool('export_status', '{"job":"a1"}', r, 1e6 + i * 3000),
    );
    const calls = [0, 1, 2].map((i) => call({ user: `check ${i}`, at: 1e6 + i * 3000 + 500 }));
    expect(detectAgentLoops(context(run(calls, polls)))).toEqual([]);
  });

  it('finds a conversation repeating its answer turn after turn', () => {
    const msgs: [string, string][] = [['user', 'Book the room']];
    const turns = [];
    for (let i = 0; i < 4; i++) {
      turns.push(call({ messages: [...msgs], output: 'book_room({"room":"A"})', agent: 'booker', at: 1e6 + i * 1000 }));
      msgs.push(['assistant', 'book_room({"room":"A"})'], ['user', 'Error: room busy']);
    }
    const [f] = detectAgentLoops(context(run(turns)));
    expect(f?.spanIds).toEqual(turns.map((c) => c.spanId));
    expect(f!.savingBySpan.size).toBe(3);
  });
});
