import type { Attributes } from '@opentelemetry/api';
import { computeFingerprints, FINGERPRINT_VERSION } from '../fingerprint/index.js';
import {
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_OUTPUT_TYPE,
  ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY,
  ATTR_GEN_AI_REQUEST_SEED,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_K,
  ATTR_GEN_AI_REQUEST_TOP_P,
  ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
  ATTR_GEN_AI_TOOL_DEFINITIONS,
  ATTR_KAIZEN_CONTENT_TRUNCATED,
  ATTR_KAIZEN_FINGERPRINT_VERSION,
  ATTR_KAIZEN_PROMPT_HASH,
  ATTR_KAIZEN_PROMPT_SIMHASH,
  ATTR_KAIZEN_SYSTEM_HASH,
} from '../semconv.js';
import { serializeBounded } from './content.js';
import type { Json, Message } from './messages.js';
import type { ModelRequest, RequestContent } from './model-call.types.js';

function numeric(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/**
 * The kaizen.* fingerprints and, when content is captured, the content attributes of a finished
 * call. The fingerprints read the very messages and parameter values the span records, so the
 * genai_calls view recomputes the same values from the recorded content.
 */
export function contentAttributes(
  request: ModelRequest,
  content: RequestContent,
  recorded: Attributes,
  output: Message[] | undefined,
  capture: boolean,
  maxLength: number,
): Attributes {
  const outputType = recorded[ATTR_GEN_AI_OUTPUT_TYPE];
  const fp = computeFingerprints({
    model: request.model,
    operation: request.operation,
    temperature: numeric(recorded[ATTR_GEN_AI_REQUEST_TEMPERATURE]),
    topP: numeric(recorded[ATTR_GEN_AI_REQUEST_TOP_P]),
    topK: numeric(recorded[ATTR_GEN_AI_REQUEST_TOP_K]),
    maxTokens: numeric(recorded[ATTR_GEN_AI_REQUEST_MAX_TOKENS]),
    seed: numeric(recorded[ATTR_GEN_AI_REQUEST_SEED]),
    frequencyPenalty: numeric(recorded[ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY]),
    presencePenalty: numeric(recorded[ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY]),
    outputType: typeof outputType === 'string' ? outputType : undefined,
    systemInstructions: content.system,
    inputMessages: content.input,
  });
  const a: Attributes = {
    [ATTR_KAIZEN_FINGERPRINT_VERSION]: FINGERPRINT_VERSION,
    [ATTR_KAIZEN_PROMPT_HASH]: fp.promptHash.toString(),
    [ATTR_KAIZEN_PROMPT_SIMHASH]: fp.promptSimHash.toString(),
    [ATTR_KAIZEN_SYSTEM_HASH]: fp.systemHash.toString(),
  };
  const tools = content.tools;
  if (!capture) {
    // Names only: the view counts tools, and a tool's name says little about the user's data.
    if (tools !== undefined && tools.length > 0) {
      a[ATTR_GEN_AI_TOOL_DEFINITIONS] = JSON.stringify(tools.map((t) => ({ type: t.type, name: t.name })));
    }
    return a;
  }
  let truncated = false;
  const put = (key: string, value: Json) => {
    const s = serializeBounded(value, maxLength);
    a[key] = s.json;
    truncated ||= s.truncated;
  };
  put(ATTR_GEN_AI_INPUT_MESSAGES, content.input);
  if (content.system !== undefined && content.system.length > 0) put(ATTR_GEN_AI_SYSTEM_INSTRUCTIONS, content.system);
  if (output !== undefined) put(ATTR_GEN_AI_OUTPUT_MESSAGES, output);
  if (tools !== undefined && tools.length > 0) put(ATTR_GEN_AI_TOOL_DEFINITIONS, tools);
  if (truncated) a[ATTR_KAIZEN_CONTENT_TRUNCATED] = true;
  return a;
}
