import { diag, trace, type Attributes } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK, type NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { processEnv, resolveCaptureContent, resolveMaxContentLength, type Env } from './core/settings.js';
import { registerEsmHook } from './esm-hook.js';
import { KaizenSpanProcessor } from './export/kaizen-span.processor.js';
import { createInstrumentations, setCurrentInstrumentations, type KaizenInstrumentations } from './instrumentations.js';
import type { OpenAIInstrumentationConfig } from './types.js';
import { configureWorkflows } from './workflow/workflow.js';

export interface RegisterOptions {
  /** service.name (else OTEL_SERVICE_NAME). */
  readonly serviceName?: string | undefined;
  /** The OTLP/HTTP base URL, e.g. http://localhost:4318 (else OTEL_EXPORTER_OTLP_ENDPOINT, else that default). */
  readonly endpoint?: string | undefined;
  /** Headers for every export (OTEL_EXPORTER_OTLP_HEADERS work too; KAIZEN_INGEST_TOKEN adds a bearer token). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Capture message content (default true; KAIZEN_CAPTURE_CONTENT=false or OTEL_…_CAPTURE_MESSAGE_CONTENT=false turn it off). */
  readonly captureContent?: boolean | undefined;
  /** The longest content attribute, in characters (default 65536). */
  readonly maxContentLength?: number | undefined;
  /** Also export the GenAI client metrics over OTLP (default false: Kaizen derives metrics from spans). */
  readonly metrics?: boolean | undefined;
  /** OpenAI-specific options (streamUsage). */
  readonly openai?: Pick<OpenAIInstrumentationConfig, 'streamUsage'> | undefined;
  /** More resource attributes (service.version, deployment.environment.name …). */
  readonly resourceAttributes?: Attributes | undefined;
  /** More instrumentations to register with the same SDK (http, express …). */
  readonly instrumentations?: readonly Instrumentation[] | undefined;
  /** More span processors (they see model-call spans before the deferred kaizen.* attributes are added). */
  readonly spanProcessors?: readonly SpanProcessor[] | undefined;
}

export interface KaizenRegistration {
  /** The SDK register() started (undefined when an SDK was already registered, or on bad configuration). */
  readonly sdk: NodeSDK | undefined;
  readonly instrumentations: KaizenInstrumentations | undefined;
  /** Exports what is pending. */
  forceFlush(): Promise<void>;
  /** Exports what is pending and stops the SDK. */
  shutdown(): Promise<void>;
}

const REGISTRATION = Symbol.for('kaizen.instrumentation.registration');
const holder = globalThis as { [REGISTRATION]?: KaizenRegistration };

/** The registration made by register() (the --import entry makes one), if any. */
export function currentRegistration(): KaizenRegistration | undefined {
  return holder[REGISTRATION];
}

/** Flushes and stops the registration made by register() (or by the --import entry). */
export async function shutdown(): Promise<void> {
  await holder[REGISTRATION]?.shutdown();
}

const NOOP: KaizenRegistration = {
  sdk: undefined,
  instrumentations: undefined,
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

function signalUrl(endpoint: string | undefined, signal: 'traces' | 'metrics'): string | undefined {
  if (endpoint === undefined || endpoint === '') return undefined;
  try {
    const url = new URL(endpoint);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/${signal}`;
    return url.toString();
  } catch {
    diag.warn(`@kaizen/instrumentation: register() ignores endpoint ${JSON.stringify(endpoint)} (not a URL)`);
    return undefined;
  }
}

function exportHeaders(options: RegisterOptions, env: Env): Record<string, string> | undefined {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.headers ?? {})) if (typeof value === 'string') headers[key] = value;
  const token = env['KAIZEN_INGEST_TOKEN'];
  const hasAuth = Object.keys(headers).some((k) => k.toLowerCase() === 'authorization');
  if (token !== undefined && token !== '' && !hasAuth) headers['authorization'] = `Bearer ${token}`;
  return Object.keys(headers).length > 0 ? headers : undefined;
}

/** The same object without its undefined properties (for options typed with exact optional properties). */
function defined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

function intEnv(env: Env, name: string): number | undefined {
  const n = Number(env[name]);
  return env[name] !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
}

function otherSdkRegistered(): boolean {
  const provider = trace.getTracerProvider() as { getDelegate?: () => unknown };
  const delegate = provider.getDelegate?.();
  return delegate !== undefined && (delegate as object).constructor.name !== 'NoopTracerProvider';
}

/**
 * Sets up OpenTelemetry for Kaizen in one call: a NodeSDK exporting OTLP/protobuf (to Kaizen's
 * collector at http://localhost:4318 unless told otherwise; the standard OTEL_* variables work),
 * the four GenAI instrumentations with content capture on, and the ESM loader hook. Never throws:
 * bad configuration becomes a diag warning. A second call returns the first registration.
 */
export function register(options: RegisterOptions = {}): KaizenRegistration {
  const existing = holder[REGISTRATION];
  if (existing !== undefined) {
    diag.warn('@kaizen/instrumentation: register() was already called; keeping the first registration');
    return existing;
  }
  try {
    const registration = start(options, processEnv());
    holder[REGISTRATION] = registration;
    return registration;
  } catch (err) {
    diag.warn('@kaizen/instrumentation: register() failed; the application runs without it', err);
    return NOOP;
  }
}

function start(options: RegisterOptions, env: Env): KaizenRegistration {
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') {
    diag.info('@kaizen/instrumentation: OTEL_SDK_DISABLED=true; register() does nothing');
    return NOOP;
  }
  const captureMessageContent = resolveCaptureContent(options.captureContent, true, env);
  const maxContentLength = resolveMaxContentLength(options.maxContentLength, env);
  configureWorkflows({ captureMessageContent, maxContentLength });
  const instrumentations = createInstrumentations({
    captureMessageContent,
    maxContentLength,
    openai: options.openai,
  });
  setCurrentInstrumentations(instrumentations);
  const list: Instrumentation[] = [
    instrumentations.openai,
    instrumentations.anthropic,
    instrumentations.googleGenerativeAI,
    instrumentations.googleGenAI,
    ...(options.instrumentations ?? []),
  ];
  try {
    registerEsmHook();
  } catch (err) {
    diag.warn('@kaizen/instrumentation: could not register the ESM loader hook', err);
  }
  if (otherSdkRegistered()) {
    diag.warn('@kaizen/instrumentation: an OpenTelemetry SDK is already registered; instrumenting into it');
    registerInstrumentations({ instrumentations: list });
    return { ...NOOP, instrumentations };
  }
  const headers = exportHeaders(options, env);
  const processor = new KaizenSpanProcessor(
    new OTLPTraceExporter(defined({ url: signalUrl(options.endpoint, 'traces'), headers })),
    defined({
      scheduledDelayMillis: intEnv(env, 'OTEL_BSP_SCHEDULE_DELAY'),
      maxQueueSize: intEnv(env, 'OTEL_BSP_MAX_QUEUE_SIZE'),
      maxExportBatchSize: intEnv(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
      exportTimeoutMillis: intEnv(env, 'OTEL_BSP_EXPORT_TIMEOUT'),
    }),
  );
  const config: Partial<NodeSDKConfiguration> = {
    instrumentations: list,
    spanProcessors: [processor, ...(options.spanProcessors ?? [])],
  };
  if (options.serviceName !== undefined) config.serviceName = options.serviceName;
  if (options.resourceAttributes !== undefined) {
    config.resource = defaultResource().merge(resourceFromAttributes(options.resourceAttributes));
  }
  if (options.metrics === true) {
    const exporter = new OTLPMetricExporter(defined({ url: signalUrl(options.endpoint, 'metrics'), headers }));
    config.metricReaders = [new PeriodicExportingMetricReader({ exporter })];
  } else if (env['OTEL_METRICS_EXPORTER'] === undefined) {
    config.metricReaders = []; // no metrics unless asked for (the SDK's env default would export them)
  }
  if (env['OTEL_LOGS_EXPORTER'] === undefined) config.logRecordProcessors = [];
  const sdk = new NodeSDK(config);
  sdk.start();
  const flushAtExit = () => {
    if (processor.endedCount === flushedAt || flushing) return;
    flushing = true;
    flushedAt = processor.endedCount;
    processor.forceFlush().then(
      () => (flushing = false),
      () => (flushing = false),
    );
  };
  let flushedAt = 0;
  let flushing = false;
  process.on('beforeExit', flushAtExit);
  let stopped: Promise<void> | undefined;
  return {
    sdk,
    instrumentations,
    forceFlush: () => processor.forceFlush(),
    shutdown: () => {
      stopped ??= (async () => {
        process.off('beforeExit', flushAtExit);
        for (const i of list) i.disable();
        await sdk.shutdown();
        if (holder[REGISTRATION]?.sdk === sdk) delete holder[REGISTRATION];
        setCurrentInstrumentations(undefined);
      })();
      return stopped;
    },
  };
}
