import { AnthropicInstrumentation } from './anthropic/instrumentation.js';
import { GoogleGenAIInstrumentation } from './google-genai/instrumentation.js';
import { GoogleGenerativeAIInstrumentation } from './google-generative-ai/instrumentation.js';
import { OpenAIInstrumentation } from './openai/instrumentation.js';
import type { KaizenInstrumentationConfig, OpenAIInstrumentationConfig } from './types.js';

export interface KaizenInstrumentations {
  readonly openai: OpenAIInstrumentation;
  readonly anthropic: AnthropicInstrumentation;
  readonly googleGenerativeAI: GoogleGenerativeAIInstrumentation;
  readonly googleGenAI: GoogleGenAIInstrumentation;
}

export interface InstrumentationsConfig extends KaizenInstrumentationConfig {
  readonly openai?: Omit<OpenAIInstrumentationConfig, keyof KaizenInstrumentationConfig> | undefined;
}

/** The four instrumentations, with one shared configuration (content capture, its limit). */
export function createInstrumentations(config: InstrumentationsConfig = {}): KaizenInstrumentations {
  const { openai, ...shared } = config;
  return {
    openai: new OpenAIInstrumentation({ ...shared, ...openai }),
    anthropic: new AnthropicInstrumentation(shared),
    googleGenerativeAI: new GoogleGenerativeAIInstrumentation(shared),
    googleGenAI: new GoogleGenAIInstrumentation(shared),
  };
}

/** The instrumentations as a list, for your own NodeSDK: `instrumentations: kaizenInstrumentations()`. */
export function kaizenInstrumentations(config: InstrumentationsConfig = {}): KaizenInstrumentationList {
  const set = createInstrumentations(config);
  return [set.openai, set.anthropic, set.googleGenerativeAI, set.googleGenAI];
}

export type KaizenInstrumentationList = [
  OpenAIInstrumentation,
  AnthropicInstrumentation,
  GoogleGenerativeAIInstrumentation,
  GoogleGenAIInstrumentation,
];

let current: KaizenInstrumentations | undefined;

/** The instrumentations register() made, or (for wrap() without register()) a default set. */
export function currentInstrumentations(): KaizenInstrumentations {
  current ??= createInstrumentations();
  return current;
}

export function setCurrentInstrumentations(set: KaizenInstrumentations | undefined): void {
  current = set;
}
