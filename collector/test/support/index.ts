export { metricValue, startTestCollector } from './test-collector.js';
export type { TestCollector } from './test-collector.js';
export { chTimeText, contribString, expectedLogRow, expectedSpanRow, stringMap } from './expected-rows.js';
