import { withAgent } from '@kaizen/instrumentation';
import { Seeded } from '../seeded.js';
import type { CrewClients } from './clients.js';
import { CHAT_SYSTEM, FAQ_OPENERS, FOLLOW_UPS } from './data/prompts.js';
import { withRetries, type RetryCounter } from './retry.js';
import type { ChatRun } from './scenarios.js';

/**
 * The help-centre chat (@google/generative-ai ChatSession, gemini-2.5-flash): a customer opens with
 * one of the usual questions, word for word, and asks follow-ups. The session resends the whole
 * history every turn.
 */
export function supportChat(c: CrewClients, retry: RetryCounter, run: ChatRun): Promise<void> {
  const rng = new Seeded(run.seed);
  const questions = [rng.pick(FAQ_OPENERS), ...rng.shuffle(FOLLOW_UPS).slice(0, run.turns - 1)];
  return withAgent('chat-assistant', async () => {
    const model = c.generativeAI.getGenerativeModel(
      { model: 'gemini-2.5-flash', systemInstruction: CHAT_SYSTEM },
      { baseUrl: c.geminiBaseUrl },
    );
    const session = model.startChat();
    for (const q of questions) await withRetries(() => session.sendMessage(q), retry);
  });
}
