/**
 * One variant of the overhead benchmark, in its own process (patches are process-wide):
 * `node instrumentation/bench/overhead-variant.ts <variant>` with STUB_URL set. Prints one JSON line.
 *
 * The openai package ships an ES-module build and a CommonJS build with separate classes. The
 * variant instruments the ES-module build only and uses the CommonJS build as the uninstrumented
 * baseline in the same process, alternating calls (ABBA order), so machine load drifts out of the
 * paired differences.
 */
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { ExportResult } from '@opentelemetry/core';
import { TracerProvider, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export interface VariantResult {
  readonly variant: string;
  readonly instrumentation: string;
  readonly sdk: string;
  readonly pairs: number;
  readonly spans: number;
  readonly baselineMedianUs: number;
  readonly instrumentedMedianUs: number;
  /** The median of the paired differences (instrumented − uninstrumented). */
  readonly addedMedianUs: number;
  readonly addedP25Us: number;
  readonly addedP75Us: number;
}

interface ChatClient {
  chat: { completions: { create(body: object): Promise<unknown> } };
}
type ClientClass = new (options: object) => ChatClient;

let exported = 0;
const exporter: SpanExporter = {
  export(spans: ReadableSpan[], done: (result: ExportResult) => void) {
    exported += spans.length;
    done({ code: 0 });
  },
  shutdown: () => Promise.resolve(),
};

async function setUp(
  variant: string,
): Promise<{ patched: ClientClass; baseline: ClientClass; name: string; sdk: string }> {
  // Built package (npm run build first), as an application would load it.
  const kaizen = await import('@kaizen/instrumentation');
  const provider = new TracerProvider({ spanProcessors: [new kaizen.KaizenSpanProcessor(exporter)] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  const sdkName = variant.endsWith('-6') ? 'openai-v6' : 'openai';
  const esm = (await import(sdkName)) as { OpenAI: ClientClass };
  const cjs = require(sdkName) as { OpenAI: ClientClass };
  const sdk = `openai ${(require(`${sdkName}/version`) as { VERSION: string }).VERSION}`;
  const name = variant.replace(/-[67]$/, '');
  if (name === 'kaizen') {
    new kaizen.OpenAIInstrumentation({ captureMessageContent: true }).manuallyInstrument(esm);
  } else if (name === 'contrib') {
    const { OpenAIInstrumentation } = await import('@opentelemetry/instrumentation-openai');
    const i = new OpenAIInstrumentation({ captureMessageContent: true });
    i.setMeterProvider(metrics.getMeterProvider()); // as registerInstrumentations() does
    i.getModuleDefinitions()[0]?.patch?.(esm, '6.0.0');
  } else if (name === 'traceloop') {
    const { OpenAIInstrumentation } = await import('@traceloop/instrumentation-openai');
    new OpenAIInstrumentation({ traceContent: true }).manuallyInstrument(esm.OpenAI);
  } else if (name === 'openinference') {
    const { OpenAIInstrumentation } = await import('@arizeai/openinference-instrumentation-openai');
    new OpenAIInstrumentation().manuallyInstrument(esm as never);
  } else if (name === 'openlit') {
    // openlit's instrumentation class without Openlit.init() (which builds its own providers and
    // downloads a price list); its package exports map hides the class, so it is loaded by path.
    const root = dirname(require.resolve('openlit'));
    const config = (require(join(root, 'config.js')) as { default: { updateConfig(c: object): void } }).default;
    config.updateConfig({ captureMessageContent: true, pricingJson: {}, disableMetrics: true, disableEvents: true });
    const Instrumentation = (
      require(join(root, 'instrumentation', 'openai', 'index.js')) as {
        default: new () => { manualPatch(m: unknown): void };
      }
    ).default;
    new Instrumentation().manualPatch(esm);
  } else if (name !== 'none') {
    throw new Error(`unknown variant ${variant}`);
  }
  return { patched: esm.OpenAI, baseline: cjs.OpenAI, name, sdk };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

const median = (values: number[]) => quantile(values, 0.5);

async function main(): Promise<void> {
  const variant = process.argv[2] ?? 'none-7';
  const pairs = Number(process.env['BENCH_PAIRS'] ?? 2000);
  const warmup = Number(process.env['BENCH_WARMUP'] ?? 300);
  const { patched, baseline, name, sdk } = await setUp(variant);
  const options = { baseURL: `${process.env['STUB_URL']}/v1`, apiKey: 'bench', maxRetries: 0 };
  const a = new patched(options);
  const b = new baseline(options);
  const body = {
    model: 'gpt-4o-mini',
    temperature: 0.2,
    messages: [
      { role: 'system', content: 'You sort mail into folders: billing, support, spam.' },
      { role: 'user', content: 'Sort: "Invoice #42 is overdue, please pay by Friday."' },
    ],
  };
  const once = async (client: ChatClient) => {
    const start = process.hrtime.bigint();
    await client.chat.completions.create(body);
    return Number(process.hrtime.bigint() - start) / 1000;
  };
  for (let i = 0; i < warmup; i++) {
    await once(a);
    await once(b);
  }
  exported = 0;
  const diffs: number[] = [];
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < pairs; i++) {
    let ta: number;
    let tb: number;
    if (i % 2 === 0) {
      ta = await once(a);
      tb = await once(b);
    } else {
      tb = await once(b);
      ta = await once(a);
    }
    as.push(ta);
    bs.push(tb);
    diffs.push(ta - tb);
  }
  await (trace.getTracerProvider() as unknown as { getDelegate(): TracerProvider }).getDelegate().forceFlush();
  const result: VariantResult = {
    variant,
    instrumentation: name,
    sdk,
    pairs,
    spans: exported,
    baselineMedianUs: median(bs),
    instrumentedMedianUs: median(as),
    addedMedianUs: median(diffs),
    addedP25Us: quantile(diffs, 0.25),
    addedP75Us: quantile(diffs, 0.75),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
