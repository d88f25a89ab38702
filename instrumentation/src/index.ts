export { register, shutdown, currentRegistration } from './register.js';
export type { RegisterOptions, KaizenRegistration } from './register.js';
export { wrap } from './wrap.js';
export {
  withWorkflow,
  startWorkflow,
  endWorkflow,
  withAgent,
  withTool,
  withAttributes,
  configureWorkflows,
} from './workflow/workflow.js';
export type {
  AttributionOptions,
  WorkflowOptions,
  AgentOptions,
  ToolOptions,
  WorkflowHandle,
} from './workflow/workflow.js';
export { OpenAIInstrumentation, OPENAI_SUPPORTED_VERSIONS } from './openai/instrumentation.js';
export { AnthropicInstrumentation, ANTHROPIC_SUPPORTED_VERSIONS } from './anthropic/instrumentation.js';
export {
  GoogleGenerativeAIInstrumentation,
  GOOGLE_GENERATIVE_AI_SUPPORTED_VERSIONS,
} from './google-generative-ai/instrumentation.js';
export { GoogleGenAIInstrumentation, GOOGLE_GENAI_SUPPORTED_VERSIONS } from './google-genai/instrumentation.js';
export { createInstrumentations, kaizenInstrumentations } from './instrumentations.js';
export type { KaizenInstrumentations, InstrumentationsConfig, KaizenInstrumentationList } from './instrumentations.js';
export { KaizenSpanProcessor } from './export/kaizen-span.processor.js';
export { registerEsmHook, INSTRUMENTED_MODULES } from './esm-hook.js';
export type {
  KaizenInstrumentationConfig,
  OpenAIInstrumentationConfig,
  AnthropicInstrumentationConfig,
  GoogleGenerativeAIInstrumentationConfig,
  GoogleGenAIInstrumentationConfig,
} from './types.js';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';
