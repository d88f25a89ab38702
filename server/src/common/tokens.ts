/** Injection tokens for what the app is built with (see AppModule.forRoot). */
export const KAIZEN_CONFIG = Symbol('KAIZEN_CONFIG');
export const STORAGE = Symbol('STORAGE');
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
export const LOGGER = Symbol('LOGGER');
export const ANALYSIS_ENGINE = Symbol('ANALYSIS_ENGINE');
export const APP_OPTIONS = Symbol('APP_OPTIONS');
