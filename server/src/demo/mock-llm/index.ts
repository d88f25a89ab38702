export { startMockLlm } from './mock-llm.server.js';
export type { MockLlmOptions, MockLlmServer, MockLlmStats } from './mock-llm.server.js';
