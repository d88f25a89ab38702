import { diag } from '@opentelemetry/api';
import { currentInstrumentations } from './instrumentations.js';
import { field } from './core/read.js';

/**
 * Instruments one SDK client directly, for code where module patching cannot reach (bundled
 * code, ESM without the --import hook, a @google/genai client made before the instrumentation
 * loaded). Takes an OpenAI, Anthropic, GoogleGenAI or GoogleGenerativeAI client (or a
 * GenerativeModel / ChatSession) and returns the same object. Never throws.
 */
export function wrap<T>(client: T): T {
  try {
    const set = currentInstrumentations();
    const has = (path: string[]) => typeof path.reduce<unknown>((v, k) => field(v, k), client) === 'function';
    if (has(['chat', 'completions', 'create'])) set.openai.instrumentClient(client);
    else if (has(['messages', 'create'])) set.anthropic.instrumentClient(client);
    else if (has(['models', 'generateContent'])) set.googleGenAI.instrumentClient(client);
    else if (has(['getGenerativeModel']) || has(['generateContent']) || has(['sendMessage'])) {
      set.googleGenerativeAI.instrumentClient(client);
    } else diag.warn('@kaizen/instrumentation: wrap() got an object that is not a supported SDK client');
  } catch (err) {
    diag.error('@kaizen/instrumentation: wrap() failed; the client is not instrumented', err);
  }
  return client;
}
