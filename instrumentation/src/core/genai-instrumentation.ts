import type { DiagLogger, Tracer } from '@opentelemetry/api';
import { InstrumentationBase } from '@opentelemetry/instrumentation';
import type { KaizenInstrumentationConfig } from '../types.js';
import { GenAIMetrics } from './metrics.js';
import type { CallHost } from './model-call.js';
import { processEnv, resolveCaptureContent, resolveMaxContentLength } from './settings.js';

/**
 * The base of the four SDK instrumentations: the settings every call reads (content capture, its
 * limit, metrics) and the CallHost the patched methods use, present only while enabled.
 */
export abstract class GenAIInstrumentation<
  Config extends KaizenInstrumentationConfig = KaizenInstrumentationConfig,
> extends InstrumentationBase<Config> {
  // The base constructor calls setConfig(), _updateMetricInstruments() and enable() before this
  // class's field initialisers would run (and reset them): these fields are declared, not initialised.
  declare private _metrics: GenAIMetrics | undefined;
  declare private _captureContent: boolean;
  declare private _maxContentLength: number;
  declare private _callHost: CallHost;

  protected constructor(name: string, version: string, config: Config) {
    super(name, version, config);
    this._resolveSettings();
    const tracer = (): Tracer => this.tracer;
    const captureContent = (): boolean => this._captureContent;
    const maxContentLength = (): number => this._maxContentLength;
    const metrics = (): GenAIMetrics | undefined => this._metrics;
    const diag = (): DiagLogger => this._diag;
    this._callHost = {
      get tracer() {
        return tracer();
      },
      get captureContent() {
        return captureContent();
      },
      get maxContentLength() {
        return maxContentLength();
      },
      get metrics() {
        return metrics();
      },
      get diag() {
        return diag();
      },
    };
  }

  public override setConfig(config: Config): void {
    super.setConfig(config);
    this._resolveSettings();
  }

  protected override _updateMetricInstruments(): void {
    this._metrics = new GenAIMetrics(this.meter);
  }

  /** The host for a call, or undefined while disabled (then patched methods pass through). */
  protected _host(): CallHost | undefined {
    return this._enabled ? this._callHost : undefined;
  }

  /** The diag logger, for the SDK adapters. */
  protected get _diagLogger(): DiagLogger {
    return this._diag;
  }

  /**
   * Instruments a module object you loaded yourself (a bundler, or ESM without
   * `--import @kaizen/instrumentation/register`): the SDK's module namespace or its CommonJS exports.
   */
  public abstract manuallyInstrument(moduleExports: unknown): void;

  private _resolveSettings(): void {
    const config = this.getConfig();
    const env = processEnv();
    this._captureContent = resolveCaptureContent(config.captureMessageContent, false, env);
    this._maxContentLength = resolveMaxContentLength(config.maxContentLength, env);
  }
}
