import type { Attributes } from '@opentelemetry/api';
import { setNumber } from '../core/attributes.js';
import { message, textPart, type Message } from '../core/messages.js';
import type { ModelResult } from '../core/model-call.js';
import { arr, field, str, type Obj } from '../core/read.js';
import { ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT, ATTR_GEN_AI_REQUEST_ENCODING_FORMATS } from '../semconv.js';
import { openaiUsage } from './usage.js';

export function embeddingsRequestAttributes(body: Obj): Attributes {
  const a: Attributes = {};
  const format = str(body['encoding_format']);
  if (format !== undefined) a[ATTR_GEN_AI_REQUEST_ENCODING_FORMATS] = [format];
  setNumber(a, ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT, body['dimensions']);
  return a;
}

/**
 * The texts to embed, as one user message with a text part each (token-id arrays as their JSON):
 * what the fingerprints read, so repeated embedding requests are found like repeated prompts.
 */
export function embeddingsInput(input: unknown): Message[] {
  if (typeof input === 'string') return [message('user', [textPart(input)])];
  const items = arr(input);
  if (items.length === 0) return [];
  if (typeof items[0] === 'number') return [message('user', [textPart(JSON.stringify(items))])];
  return [
    message(
      'user',
      items.map((i) => textPart(typeof i === 'string' ? i : JSON.stringify(i))),
    ),
  ];
}

export function embeddingsResult(response: unknown): ModelResult {
  return {
    responseModel: str(field(response, 'model')),
    usage: openaiUsage(field(response, 'usage')),
  };
}
