import type Anthropic from '@anthropic-ai/sdk';
import { withAgent, withTool } from '@kaizen/instrumentation';
import { Seeded } from '../seeded.js';
import type { CrewClients } from './clients.js';
import { DRAFTER_GUIDE } from './data/drafter-guide.js';
import { emailText, makeEmail, type Category, type Email } from './data/emails.js';
import { searchArticles, type Article } from './data/knowledge-base.js';
import { LOOKUP_ORDER_TOOL, lookupOrder } from './data/orders.js';
import { NOTE_SYSTEM, PRIORITY_SYSTEM, REVIEWER_SYSTEM, ROUTER_SYSTEM, SUMMARY_SYSTEM } from './data/prompts.js';
import { withRetries, type RetryCounter } from './retry.js';
import type { EmailRun } from './scenarios.js';

/**
 * One customer email through the crew:
 * router (gpt-4.1 classifies) → [business desk: priority, gpt-4.1-mini with eight examples] →
 * summariser (gpt-4.1-mini) → retriever (embeddings + knowledge-base search tool) →
 * drafter (claude-sonnet-5, streamed, the whole writing guide as system prompt, lookup_order tool) ⇄
 * reviewer (gemini-2.5-flash: ready to send? if not, the same feedback goes back to the drafter, up
 * to three times) → note-taker (gpt-4.1-mini, streamed CRM note).
 */

const ROUTER_MODEL = 'gpt-4.1';
const SMALL_MODEL = 'gpt-4.1-mini';
const DRAFTER_MODEL = 'claude-sonnet-5';
const REVIEWER_MODEL = 'gemini-2.5-flash';
const MAX_TOOL_ROUNDS = 4;
const MAX_REVISIONS = 3;
/** The reviewer's feedback, the same every time it sends a draft back. */
const REVISE =
  'The reviewer sent the draft back: make the next step and its timing explicit, then send the full reply again.';
/** The note-taker's fixed output limit: enough for most notes, not for long cases. */
const NOTE_MAX_TOKENS = 220;

const CATEGORIES = new Set<string>(['billing', 'refund', 'shipping', 'technical', 'account']);

async function chat(c: CrewClients, retry: RetryCounter, model: string, system: string, user: string): Promise<string> {
  const r = await withRetries(
    () =>
      c.openai.chat.completions.create({
        model,
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: user },
        ],
      }),
    retry,
  );
  return r.choices[0]?.message.content ?? '';
}

function classify(c: CrewClients, retry: RetryCounter, email: Email): Promise<string> {
  return withAgent('router', () => chat(c, retry, ROUTER_MODEL, ROUTER_SYSTEM, emailText(email)));
}

async function retrieve(c: CrewClients, retry: RetryCounter, query: string, category: Category, broad: boolean) {
  return withAgent('retriever', async () => {
    await withRetries(() => c.openai.embeddings.create({ model: 'text-embedding-3-small', input: query }), retry);
    return withTool('search_knowledge_base', () => Promise.resolve(searchArticles(category, broad)), {
      arguments: { query, top_k: 4 },
    });
  });
}

function draftPrompt(email: Email, category: string, sources: readonly Article[]) {
  const lines = [
    'Customer email:',
    emailText(email),
    '',
    `Category: ${category}`,
    '',
    'Sources:',
    ...sources.map((a, i) => `[${i + 1}] ${a.title}. ${a.text}`),
    '',
    'Task: Draft a reply to the customer that follows the guide.',
  ];
  return lines.join('\n');
}

const textOf = (m: Anthropic.Message) => m.content.map((b) => (b.type === 'text' ? b.text : '')).join('');

/**
 * The drafter's conversation: the task, then its tool loop (lookup_order) until it writes a reply;
 * the reviewer's feedback continues the same conversation.
 */
class DraftSession {
  private readonly messages: Anthropic.MessageParam[];

  constructor(
    private readonly c: CrewClients,
    private readonly retry: RetryCounter,
    private readonly run: EmailRun,
    private readonly email: Email,
    prompt: string,
  ) {
    this.messages = [{ role: 'user', content: prompt }];
  }

  write(feedback?: string): Promise<string> {
    return withAgent('drafter', async () => {
      if (feedback !== undefined) this.messages.push({ role: 'user', content: feedback });
      const tools = this.email.orderId ? [LOOKUP_ORDER_TOOL] : undefined;
      for (let round = 0; ; round++) {
        const last = round >= MAX_TOOL_ROUNDS;
        const message = await withRetries(
          () =>
            this.c.anthropic.messages
              .stream({
                model: DRAFTER_MODEL,
                max_tokens: 1024,
                system: DRAFTER_GUIDE,
                messages: this.messages,
                ...(tools ? { tools, ...(last ? { tool_choice: { type: 'none' as const } } : {}) } : {}),
              })
              .finalMessage(),
          this.retry,
        );
        const uses = message.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
        this.messages.push({ role: 'assistant', content: message.content });
        if (message.stop_reason !== 'tool_use' || uses.length === 0) return textOf(message);
        this.messages.push({ role: 'user', content: await Promise.all(uses.map((u) => this.useTool(u))) });
      }
    });
  }

  private async useTool(use: Anthropic.ToolUseBlock): Promise<Anthropic.ToolResultBlockParam> {
    const input = use.input as { order_id?: unknown };
    const orderId = typeof input.order_id === 'string' ? input.order_id : '';
    const status = await withTool(
      use.name,
      () => Promise.resolve(lookupOrder(orderId, this.email.category, this.run.pendingOrder)),
      { arguments: use.input, callId: use.id },
    );
    return { type: 'tool_result', tool_use_id: use.id, content: JSON.stringify(status) };
  }
}

async function review(c: CrewClients, retry: RetryCounter, email: Email, reply: string): Promise<boolean> {
  return withAgent('reviewer', async () => {
    const r = await withRetries(
      () =>
        c.genai.models.generateContent({
          model: REVIEWER_MODEL,
          contents: `Customer email:\n${emailText(email)}\n\nDraft reply:\n${reply}\n\nIs the draft ready to send? Answer yes or no.`,
          config: { systemInstruction: REVIEWER_SYSTEM },
        }),
      retry,
    );
    return /^\s*yes/i.test(r.text ?? '');
  });
}

/** The CRM note, streamed; a note cut off at the limit is asked for again with more room. */
function note(c: CrewClients, retry: RetryCounter, run: EmailRun, email: Email, category: string, reply: string) {
  return withAgent('note-taker', async () => {
    const words = run.longCase ? 260 : 90;
    const content = `Write the CRM note for this case in about ${words} words.\n\nCategory: ${category}\n\n${emailText(email)}\n\nReply sent:\n${reply}`;
    for (const maxTokens of [NOTE_MAX_TOKENS, NOTE_MAX_TOKENS * 4]) {
      const stream = await withRetries(
        () =>
          c.openai.chat.completions.create({
            model: SMALL_MODEL,
            max_tokens: maxTokens,
            stream: true,
            stream_options: { include_usage: true },
            messages: [
              { role: 'system', content: NOTE_SYSTEM },
              { role: 'user', content },
            ],
          }),
        retry,
      );
      let finish: string | null = null;
      for await (const chunk of stream) finish = chunk.choices[0]?.finish_reason ?? finish;
      if (finish !== 'length') return;
    }
  });
}

export async function supportEmail(c: CrewClients, retry: RetryCounter, run: EmailRun): Promise<void> {
  const email = makeEmail(new Seeded(run.seed), run.withOrder);
  const answer = (await classify(c, retry, email)).trim().toLowerCase();
  const category = CATEGORIES.has(answer) ? (answer as Category) : email.category;
  if (run.duplicateRouting) await classify(c, retry, email);
  if (run.businessTier) {
    await withAgent('priority', () => chat(c, retry, SMALL_MODEL, PRIORITY_SYSTEM, emailText(email)));
  }
  const summary = await withAgent('summarizer', () =>
    chat(
      c,
      retry,
      SMALL_MODEL,
      SUMMARY_SYSTEM,
      `Summarise this customer email in one sentence:\n\n${emailText(email)}`,
    ),
  );
  if (run.reSummarize) {
    await withAgent('drafter', () =>
      chat(
        c,
        retry,
        SMALL_MODEL,
        SUMMARY_SYSTEM,
        `In one sentence, what is this customer writing to us about?\n\n${emailText(email)}`,
      ),
    );
  }
  const sources = await retrieve(c, retry, summary, category, run.broadSearch);
  const drafter = new DraftSession(c, retry, run, email, draftPrompt(email, category, sources));
  let reply = await drafter.write();
  for (let revision = 1; revision <= MAX_REVISIONS && !(await review(c, retry, email, reply)); revision++) {
    reply = await drafter.write(REVISE);
  }
  await note(c, retry, run, email, category, reply);
}
