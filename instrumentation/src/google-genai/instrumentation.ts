import type { Attributes } from '@opentelemetry/api';
import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { bareModelName } from '../core/attributes.js';
import { GenAIInstrumentation } from '../core/genai-instrumentation.js';
import type { ModelCall } from '../core/model-call.js';
import { claimInstance, markWrapped, wrapMethod, type AnyFunction } from '../core/patch.js';
import { field, isObj, isThenable, str, type Obj } from '../core/read.js';
import { serverInfo, type ServerInfo } from '../core/server.js';
import { observeGeneratorInPlace } from '../core/stream.js';
import { traceCall, type PreparedCall } from '../core/trace-call.js';
import {
  geminiMessages,
  geminiResult,
  GeminiStreamReader,
  geminiSystem,
  geminiTools,
  generationAttributes,
} from '../gemini/mapping.js';
import {
  ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT,
  GEN_AI_OPERATION_EMBEDDINGS,
  GEN_AI_OPERATION_GENERATE_CONTENT,
  GEN_AI_PROVIDER_GCP_GEMINI,
  GEN_AI_PROVIDER_GCP_VERTEX_AI,
} from '../semconv.js';
import type { GoogleGenAIInstrumentationConfig } from '../types.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../version.js';
import { genaiUsageFromEmbeddings } from './embeddings.js';

/** @google/genai 1.x to 3.x. */
export const GOOGLE_GENAI_SUPPORTED_VERSIONS = ['>=1 <4'];

type Method = 'generateContent' | 'generateContentStream' | 'embedContent';
const METHODS: Method[] = ['generateContent', 'generateContentStream', 'embedContent'];

const DEFAULT_GEMINI_URL = 'https://generativelanguage.googleapis.com/';

/**
 * GenAI spans for `@google/genai`: models.generateContent, generateContentStream and
 * embedContent (chats call these, so chats are covered). These methods are arrow functions
 * created per instance, so there is nothing to patch on a prototype: the exported GoogleGenAI
 * constructor is wrapped (a Proxy, so `instanceof`, statics and subclasses keep working) and
 * every client it builds is instrumented. Clients built before this instrumentation loaded are
 * not: pass them to `wrap(client)`.
 */
export class GoogleGenAIInstrumentation extends GenAIInstrumentation<GoogleGenAIInstrumentationConfig> {
  public constructor(config: GoogleGenAIInstrumentationConfig = {}) {
    super(`${PACKAGE_NAME}/google-genai`, PACKAGE_VERSION, config);
  }

  protected init(): InstrumentationNodeModuleDefinition[] {
    return [
      new InstrumentationNodeModuleDefinition(
        '@google/genai',
        GOOGLE_GENAI_SUPPORTED_VERSIONS,
        (moduleExports: unknown) => this._patchModule(moduleExports),
        (moduleExports: unknown) => this._unpatchModule(moduleExports),
      ),
    ];
  }

  public manuallyInstrument(moduleExports: unknown): void {
    this._patchModule(moduleExports);
  }

  /** Instruments one GoogleGenAI client (its `models`, which its chats use). */
  public instrumentClient(client: unknown): void {
    const models = field(client, 'models');
    if (!isObj(client) || !isObj(models) || !claimInstance(models, this)) return;
    const apiClient = field(models, 'apiClient') ?? field(client, 'apiClient');
    for (const method of METHODS) {
      wrapMethod(models, method, this, (original) => this._wrapper(method, original, apiClient));
    }
  }

  private _patchModule(moduleExports: unknown): unknown {
    const holder = moduleExports as Obj;
    const Original = field(holder, 'GoogleGenAI');
    if (typeof Original !== 'function') {
      this._diagLogger.warn('@google/genai loaded, but GoogleGenAI was not found: not instrumented');
      return moduleExports;
    }
    if (field(Original, KAIZEN_ORIGINAL) !== undefined) return moduleExports;
    const instrument = (instance: object) => {
      try {
        this.instrumentClient(instance);
      } catch (err) {
        this._diagLogger.error('could not instrument a GoogleGenAI client', err);
      }
    };
    const Patched = new Proxy(Original, {
      construct(target, args, newTarget): object {
        const instance = Reflect.construct(target, args, newTarget) as object;
        instrument(instance);
        return instance;
      },
      get(target, key, receiver): unknown {
        if (key === KAIZEN_ORIGINAL) return target;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    markWrapped(Patched, Original as AnyFunction, this);
    if (!replaceExport(holder, 'GoogleGenAI', Patched)) {
      this._diagLogger.warn(
        '@google/genai: this module object cannot be changed (an ES module namespace without the loader hook); ' +
          'use wrap(client) on each GoogleGenAI client',
      );
    }
    return moduleExports;
  }

  private _unpatchModule(moduleExports: unknown): void {
    const holder = moduleExports as Obj;
    const original = field(field(holder, 'GoogleGenAI'), KAIZEN_ORIGINAL);
    if (typeof original !== 'function') return;
    replaceExport(holder, 'GoogleGenAI', original);
  }

  private _wrapper(method: Method, original: AnyFunction, apiClient: unknown): AnyFunction {
    const host = () => this._host();
    const prepare = (args: unknown[]) => this._prepare(method, apiClient, args);
    return function patched(this: unknown, ...args: unknown[]): unknown {
      return traceCall(host(), this, original, args, () => prepare(args));
    };
  }

  private _prepare(method: Method, apiClient: unknown, args: unknown[]): PreparedCall<unknown> | undefined {
    const params = args[0];
    if (!isObj(params)) return undefined;
    const config = isObj(params['config']) ? params['config'] : {};
    const vertex = callBool(apiClient, 'isVertexAI');
    const server = serverFor(apiClient, config, vertex);
    const embed = method === 'embedContent';
    const stream = method === 'generateContentStream';
    const capture = this._host()?.captureContent ?? false;
    let attributes: Attributes;
    if (embed) {
      attributes = {};
      const dimensions = config['outputDimensionality'];
      if (typeof dimensions === 'number') attributes[ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT] = dimensions;
    } else attributes = generationAttributes(config);
    const diag = this._diagLogger;
    const contents = Array.isArray(params['contents']) ? params['contents'].slice() : params['contents'];
    const { systemInstruction, tools } = config;
    return {
      request: {
        operation: embed ? GEN_AI_OPERATION_EMBEDDINGS : GEN_AI_OPERATION_GENERATE_CONTENT,
        provider: vertex ? GEN_AI_PROVIDER_GCP_VERTEX_AI : GEN_AI_PROVIDER_GCP_GEMINI,
        model: bareModelName(str(params['model']) ?? ''),
        server,
        stream,
        attributes,
        content: () => ({
          input: geminiMessages(contents),
          system: embed ? undefined : geminiSystem(systemInstruction),
          tools: embed ? undefined : geminiTools(tools),
        }),
      },
      observe: (result: unknown, call: ModelCall) => {
        if (!isThenable(result)) {
          call.succeed();
          return result;
        }
        result.then(
          (value) => {
            try {
              if (embed) call.succeed(() => genaiUsageFromEmbeddings(value));
              else if (!stream) call.succeed(() => geminiResult(value, capture));
              else if (isObj(value) && typeof (value as Partial<AsyncGenerator>).next === 'function') {
                const reader = new GeminiStreamReader(capture);
                call.collectFrom(reader);
                observeGeneratorInPlace(value as unknown as AsyncGenerator, call, reader, (err) =>
                  diag.error('could not read a Gemini chunk', err),
                );
              } else call.succeed();
            } catch (err) {
              diag.error('could not read a Gemini response', err);
              call.succeed();
            }
          },
          (err: unknown) => call.fail(err),
        );
        return result;
      },
    };
  }
}

const KAIZEN_ORIGINAL = Symbol.for('kaizen.instrumentation.original');

/** Replaces an export (CommonJS exports, or import-in-the-middle's namespace proxy); false when frozen. */
function replaceExport(holder: Obj, name: string, value: unknown): boolean {
  try {
    holder[name] = value;
  } catch {
    try {
      Object.defineProperty(holder, name, { value, configurable: true, enumerable: true, writable: true });
    } catch {
      return false;
    }
  }
  return holder[name] === value;
}

function callBool(target: unknown, method: string): boolean {
  const fn = field(target, method);
  if (typeof fn !== 'function') return false;
  try {
    return (fn as () => unknown).call(target) === true;
  } catch {
    return false;
  }
}

function serverFor(apiClient: unknown, config: Obj, vertex: boolean): ServerInfo | undefined {
  const perRequest = str(field(config['httpOptions'], 'baseUrl'));
  if (perRequest !== undefined) return serverInfo(perRequest);
  const getBaseUrl = field(apiClient, 'getBaseUrl');
  if (typeof getBaseUrl === 'function') {
    try {
      const url = (getBaseUrl as () => unknown).call(apiClient);
      if (typeof url === 'string') return serverInfo(url);
    } catch {
      // no base URL set: the SDK's default
    }
  }
  return vertex ? undefined : serverInfo(DEFAULT_GEMINI_URL);
}
