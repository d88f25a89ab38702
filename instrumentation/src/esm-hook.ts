import * as nodeModule from 'node:module';

/** The SDKs the instrumentations patch: the only modules the ESM loader hook intercepts. */
export const INSTRUMENTED_MODULES: readonly string[] = [
  'openai',
  '@anthropic-ai/sdk',
  '@google/generative-ai',
  '@google/genai',
];

const FLAG = Symbol.for('kaizen.instrumentation.esm-hook');

/**
 * Registers the import-in-the-middle loader hook (through @opentelemetry/instrumentation's
 * hook.mjs), limited to the instrumented SDKs, so `import OpenAI from 'openai'` in an ES module
 * can be patched. It must run before the application's imports are evaluated, which is what
 * `node --import @kaizen/instrumentation/register app.js` does; registered later, it still covers
 * later dynamic imports. Returns whether the hook is registered.
 */
export function registerEsmHook(): boolean {
  const holder = globalThis as { [FLAG]?: boolean };
  if (holder[FLAG] === true) return true;
  if (typeof nodeModule.register !== 'function') return false;
  nodeModule.register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, {
    data: { include: [...INSTRUMENTED_MODULES] },
  });
  holder[FLAG] = true;
  return true;
}
