import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { GoogleGenerativeAI } from '@google/generative-ai';
import OpenAI from 'openai';

/**
 * The crew's SDK clients, pointed at the demo's mock LLM server with a dummy key. The SDKs' own
 * retries are off: the crew retries failed calls itself (see retry.ts), as many agent frameworks
 * do, so every attempt is a model call of its own in the trace.
 */
export interface CrewClients {
  readonly openai: OpenAI;
  readonly anthropic: Anthropic;
  readonly genai: GoogleGenAI;
  readonly generativeAI: GoogleGenerativeAI;
  /** The base URL for @google/generative-ai's per-model request options. */
  readonly geminiBaseUrl: string;
}

export function createClients(mockUrl: string): CrewClients {
  return {
    openai: new OpenAI({ baseURL: `${mockUrl}/v1`, apiKey: 'demo', maxRetries: 0 }),
    anthropic: new Anthropic({ baseURL: mockUrl, apiKey: 'demo', maxRetries: 0 }),
    genai: new GoogleGenAI({ apiKey: 'demo', httpOptions: { baseUrl: mockUrl } }),
    generativeAI: new GoogleGenerativeAI('demo'),
    geminiBaseUrl: mockUrl,
  };
}
