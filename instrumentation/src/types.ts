import type { InstrumentationConfig } from '@opentelemetry/instrumentation';

/** Configuration shared by the Kaizen GenAI instrumentations. */
export interface KaizenInstrumentationConfig extends InstrumentationConfig {
  /**
   * Record prompts and completions (gen_ai.input.messages, gen_ai.output.messages,
   * gen_ai.system_instructions, full gen_ai.tool.definitions). Off unless set here or by
   * KAIZEN_CAPTURE_CONTENT / OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true, as in
   * opentelemetry-js-contrib; register() turns it on. Either variable set to false always turns it
   * off. Fingerprints (kaizen.*) are recorded either way.
   */
  captureMessageContent?: boolean;
  /**
   * The longest content attribute, in characters; longer JSON is truncated and stays valid
   * (kaizen.content.truncated=true). Default 65536, or OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT if lower.
   */
  maxContentLength?: number;
}

export interface OpenAIInstrumentationConfig extends KaizenInstrumentationConfig {
  /**
   * Chat Completions streams report usage only when the request sets
   * `stream_options.include_usage`. When the caller did not set it, the instrumentation can set it
   * and hide the extra usage chunk (and the `usage: null` it adds to other chunks) from the
   * caller, whose stream then looks exactly as requested.
   * - 'auto' (default): only for requests to api.openai.com, where the option is known to work
   *   (some OpenAI-compatible servers reject unknown options).
   * - 'always' / 'never'.
   */
  streamUsage?: 'auto' | 'always' | 'never';
}

export type AnthropicInstrumentationConfig = KaizenInstrumentationConfig;
export type GoogleGenerativeAIInstrumentationConfig = KaizenInstrumentationConfig;
export type GoogleGenAIInstrumentationConfig = KaizenInstrumentationConfig;
