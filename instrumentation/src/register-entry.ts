/**
 * `node --import @kaizen/instrumentation/register app.js`: registers the ESM loader hook for the
 * instrumented SDKs, then register() configured from the environment (OTEL_SERVICE_NAME,
 * OTEL_EXPORTER_OTLP_ENDPOINT, KAIZEN_CAPTURE_CONTENT …), before the application's modules load.
 * No top-level await, so CommonJS can require() it too.
 */
import { diag } from '@opentelemetry/api';
import { registerEsmHook } from './esm-hook.js';
import { register } from './register.js';

try {
  registerEsmHook();
} catch (err) {
  diag.warn('@kaizen/instrumentation: could not register the ESM loader hook', err);
}
register();
