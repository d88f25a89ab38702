import {
  computeFingerprints,
  parseMessagesJson,
  parseSystemInstructions,
  type FingerprintInput,
  type Json,
} from '@kaizen/instrumentation/fingerprint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { p, sql } from '../src/query/sql.js';
import { T } from '../src/schema/tables.js';
import { hexId, openTempStore, spanRow, type TempStore } from './support/index.js';

/**
 * One definition of each fingerprint: the genai_calls view (SQL, from captured content) and
 * @kaizen/instrumentation/fingerprint (JavaScript, in the app) must give the same values.
 */

let store: TempStore;
beforeAll(async () => {
  store = await openTempStore();
});
afterAll(async () => {
  await store.close();
});

const text = (content: string) => ({ type: 'text', content });
const msg = (role: string, ...parts: Json[]) => ({ role, parts });

const longText = `${'Kaizen 改善 🚀 '.repeat(700)}tail`;

const cases: Record<string, FingerprintInput> = {
  'plain chat with a system message': {
    model: 'gpt-4o',
    operation: 'chat',
    inputMessages: [msg('system', text('You sort mail.')), msg('user', text('Sort: invoice #42 overdue'))],
  },
  'separate system instructions and untidy whitespace': {
    model: 'claude-sonnet-4-5',
    operation: 'chat',
    systemInstructions: [text('  You review\tdrafts.\n\n'), text('Be kind.')],
    inputMessages: [
      msg('user', text('\tReview   this:\r\n draft  ')),
      msg('assistant', text('Done.')),
      msg('user', text('Again')),
    ],
  },
  'every request parameter': {
    model: 'GPT-4.1-Mini',
    operation: 'chat',
    temperature: 0.7,
    topP: 0.30000000000000004,
    topK: 40,
    maxTokens: 1024,
    seed: 42,
    frequencyPenalty: 0.5,
    presencePenalty: -0.25,
    outputType: 'json',
    inputMessages: [msg('user', text('Extract the amount.'))],
  },
  'tool calls and results with nested JSON, quotes and unicode': {
    model: 'gpt-4o',
    operation: 'chat',
    inputMessages: [
      msg('user', text('Weather in Zürich? "quoted" \\ back')),
      msg('assistant', {
        type: 'tool_call',
        id: 'call_1',
        name: 'weather',
        arguments: { city: 'Zürich', units: ['c', 'f'], deep: { n: 1.5, ok: true, none: null } },
      }),
      msg('tool', { type: 'tool_call_response', id: 'call_1', response: { temp: 21, text: 'sunny ☀️ <b>&</b>' } }),
      msg('assistant', { type: 'tool_call', id: 'call_2', name: 'echo', arguments: '{"raw":"string args"}' }),
      msg('tool', { type: 'tool_call_response', id: 'call_2', response: 'plain text result' }),
    ],
  },
  'media parts and an unknown part type': {
    model: 'gemini-2.5-flash',
    operation: 'generate_content',
    inputMessages: [
      msg(
        'user',
        text('Describe these.'),
        { type: 'blob', modality: 'image', mime_type: 'image/png', content: 'iVBORw0KGgoAAAANSUhEUg==' },
        { type: 'uri', modality: 'image', uri: 'https://example.com/a.png' },
        { type: 'file', modality: 'document', file_id: 'file-123' },
        { type: 'server_tool_call', name: 'search' },
      ),
    ],
  },
  'a prompt longer than the simhash window, with astral characters': {
    model: 'gpt-4o-mini',
    operation: 'chat',
    inputMessages: [msg('user', text(longText))],
  },
  'legacy messages with content instead of parts': {
    model: 'gpt-4o',
    operation: 'chat',
    inputMessages: [
      { role: 'developer', content: 'Answer tersely.' },
      { role: 'user', content: [{ type: 'text', text: 'What is 2+2?' }] },
    ],
  },
  'system instructions as a plain string': {
    model: 'gemini-2.5-pro',
    operation: 'generate_content',
    systemInstructions: 'You are terse.',
    inputMessages: [msg('user', text('Hi'))],
  },
  'only a system prompt': {
    model: 'gpt-4o',
    operation: 'chat',
    inputMessages: [msg('system', text('Only rules here.'))],
  },
  'no content at all': { model: 'gpt-4o', operation: 'chat', inputMessages: [] },
  'short prompts (under three code points)': {
    model: 'gpt-4o',
    operation: 'chat',
    inputMessages: [msg('user', text('é'))],
  },
};

function attributes(c: FingerprintInput): Record<string, string> {
  const a: Record<string, string> = {
    'gen_ai.operation.name': c.operation,
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': c.model,
    'gen_ai.input.messages': JSON.stringify(c.inputMessages),
  };
  if (c.systemInstructions !== undefined) {
    a['gen_ai.system_instructions'] =
      typeof c.systemInstructions === 'string' ? c.systemInstructions : JSON.stringify(c.systemInstructions);
  }
  const num: [keyof FingerprintInput, string][] = [
    ['temperature', 'gen_ai.request.temperature'],
    ['topP', 'gen_ai.request.top_p'],
    ['topK', 'gen_ai.request.top_k'],
    ['maxTokens', 'gen_ai.request.max_tokens'],
    ['seed', 'gen_ai.request.seed'],
    ['frequencyPenalty', 'gen_ai.request.frequency_penalty'],
    ['presencePenalty', 'gen_ai.request.presence_penalty'],
  ];
  for (const [k, attr] of num) if (typeof c[k] === 'number') a[attr] = String(c[k]);
  if (c.outputType) a['gen_ai.output.type'] = c.outputType;
  return a;
}

type Stored = {
  SpanName: string;
  PromptHash: string;
  PromptSimHash: string;
  SystemHash: string;
  InputMessages: string;
  SystemInstructions: string;
};

describe('fingerprints v1', () => {
  it('are the same in the genai_calls view and in JavaScript', async () => {
    const traceId = hexId(16);
    const names = Object.keys(cases);
    await store.storage.insert(
      T.otelTraces,
      names.map((name) => spanRow({ TraceId: traceId, SpanName: name, SpanAttributes: attributes(cases[name]!) })),
    );
    const rows = await store.storage.query<Stored>(
      sql`SELECT SpanName, PromptHash, PromptSimHash, SystemHash, InputMessages, SystemInstructions
          FROM ${store.storage.table(T.genaiCalls)} WHERE TraceId = ${p.string(traceId)}`,
    );
    expect(rows).toHaveLength(names.length);
    for (const row of rows) {
      const c = cases[row.SpanName]!;
      const js = computeFingerprints(c);
      expect({
        case: row.SpanName,
        promptHash: row.PromptHash,
        simhash: row.PromptSimHash,
        systemHash: row.SystemHash,
      }).toEqual({
        case: row.SpanName,
        promptHash: js.promptHash.toString(),
        simhash: js.promptSimHash.toString(),
        systemHash: js.systemHash.toString(),
      });
      // The JSON the analysis reads back gives the same values too.
      const fromStored = computeFingerprints({
        ...c,
        inputMessages: parseMessagesJson(row.InputMessages),
        systemInstructions: parseSystemInstructions(row.SystemInstructions),
      });
      expect(fromStored).toEqual(js);
    }
    const none = rows.find((r) => r.SpanName === 'no content at all')!;
    expect([none.PromptHash, none.PromptSimHash, none.SystemHash]).toEqual(['0', '0', '0']);
  });

  it("keep the instrumentation's kaizen.* values when content was not captured", async () => {
    const traceId = hexId(16);
    const c = cases['tool calls and results with nested JSON, quotes and unicode']!;
    const fp = computeFingerprints(c);
    await store.storage.insert(T.otelTraces, [
      spanRow({
        TraceId: traceId,
        SpanAttributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          'kaizen.prompt.hash': fp.promptHash.toString(),
          'kaizen.prompt.simhash': fp.promptSimHash.toString(),
          'kaizen.system.hash': fp.systemHash.toString(),
        },
      }),
    ]);
    const [row] = await store.storage.query<Stored>(
      sql`SELECT PromptHash, PromptSimHash, SystemHash, InputMessages FROM ${store.storage.table(T.genaiCalls)} WHERE TraceId = ${p.string(traceId)}`,
    );
    expect(row).toMatchObject({
      PromptHash: fp.promptHash.toString(),
      PromptSimHash: fp.promptSimHash.toString(),
      SystemHash: fp.systemHash.toString(),
      InputMessages: '',
    });
  });

  it('tell near-duplicates apart from unrelated prompts', () => {
    const a = computeFingerprints({
      model: 'gpt-4o',
      operation: 'chat',
      inputMessages: [msg('user', text('What is the refund policy for damaged items shipped abroad?'))],
    });
    const b = computeFingerprints({
      model: 'gpt-4o',
      operation: 'chat',
      inputMessages: [msg('user', text('What is the refund policy for damaged items shipped overseas?'))],
    });
    const c = computeFingerprints({
      model: 'gpt-4o',
      operation: 'chat',
      inputMessages: [msg('user', text('Translate "good morning" into Japanese, please.'))],
    });
    const dist = (x: bigint, y: bigint) => [...(x ^ y).toString(2)].filter((bit) => bit === '1').length;
    expect(a.promptHash).not.toBe(b.promptHash);
    expect(dist(a.promptSimHash, b.promptSimHash)).toBeLessThan(dist(a.promptSimHash, c.promptSimHash));
  });
});
