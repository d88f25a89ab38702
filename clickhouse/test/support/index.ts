export { openTempStore } from './temp-store.js';
export type { TempStore } from './temp-store.js';
export { hexId, messages, nsTime, spanRow } from './span-rows.js';
export type { OtelTraceRow } from './span-rows.js';
