import type { Attributes } from '@opentelemetry/api';
import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { bareModelName } from '../core/attributes.js';
import { GenAIInstrumentation } from '../core/genai-instrumentation.js';
import type { Message } from '../core/messages.js';
import type { ModelCall } from '../core/model-call.js';
import { claimInstance, unwrapMethod, wrapMethod, type AnyFunction } from '../core/patch.js';
import { arr, field, isObj, isThenable, str, type Obj } from '../core/read.js';
import { serverInfo } from '../core/server.js';
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
} from '../semconv.js';
import type { GoogleGenerativeAIInstrumentationConfig } from '../types.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../version.js';

/** @google/generative-ai (legacy; its last release is 0.24.1). */
export const GOOGLE_GENERATIVE_AI_SUPPORTED_VERSIONS = ['>=0.1.0 <1'];

const DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';

type Method = 'generateContent' | 'generateContentStream' | 'embedContent' | 'sendMessage' | 'sendMessageStream';

const MODEL_METHODS: Method[] = ['generateContent', 'generateContentStream', 'embedContent'];
const CHAT_METHODS: Method[] = ['sendMessage', 'sendMessageStream'];

function classes(moduleExports: unknown): { model?: object | undefined; chat?: object | undefined } {
  const m = moduleExports as Obj | undefined;
  const pick = (name: string) => {
    const proto = field(field(m, name) ?? field(field(m, 'default'), name), 'prototype');
    return isObj(proto) ? proto : undefined;
  };
  return { model: pick('GenerativeModel'), chat: pick('ChatSession') };
}

/** A request (a string, parts, or a GenerateContentRequest) as a request object. */
function asRequest(request: unknown): Obj {
  if (typeof request === 'string' || Array.isArray(request)) return { contents: request };
  if (isObj(request) && !('contents' in request) && 'parts' in request) return { contents: [request] };
  return isObj(request) ? request : {};
}

/**
 * GenAI spans for the legacy `@google/generative-ai`: GenerativeModel.generateContent,
 * generateContentStream and embedContent, and ChatSession.sendMessage / sendMessageStream (which
 * call the API directly, not through the model).
 */
export class GoogleGenerativeAIInstrumentation extends GenAIInstrumentation<GoogleGenerativeAIInstrumentationConfig> {
  public constructor(config: GoogleGenerativeAIInstrumentationConfig = {}) {
    super(`${PACKAGE_NAME}/google-generative-ai`, PACKAGE_VERSION, config);
  }

  protected init(): InstrumentationNodeModuleDefinition[] {
    return [
      new InstrumentationNodeModuleDefinition(
        '@google/generative-ai',
        GOOGLE_GENERATIVE_AI_SUPPORTED_VERSIONS,
        (moduleExports: unknown) => {
          this._patchModule(moduleExports);
          return moduleExports;
        },
        (moduleExports: unknown) => {
          const { model, chat } = classes(moduleExports);
          for (const name of MODEL_METHODS) if (model !== undefined) unwrapMethod(model, name, this);
          for (const name of CHAT_METHODS) if (chat !== undefined) unwrapMethod(chat, name, this);
        },
      ),
    ];
  }

  public manuallyInstrument(moduleExports: unknown): void {
    this._patchModule(moduleExports);
  }

  /** Instruments a GoogleGenerativeAI client (its future models and chats) or one GenerativeModel/ChatSession. */
  public instrumentClient(client: unknown): void {
    if (!isObj(client) || !claimInstance(client, this)) return;
    if (typeof client['getGenerativeModel'] === 'function') {
      const instrument = (model: unknown) => this.instrumentClient(model);
      wrapMethod(client, 'getGenerativeModel', this, (original) => {
        return function getGenerativeModel(this: unknown, ...args: unknown[]): unknown {
          const model = original.apply(this, args);
          instrument(model);
          return model;
        };
      });
      return;
    }
    const methods = typeof client['sendMessage'] === 'function' ? CHAT_METHODS : MODEL_METHODS;
    for (const name of methods) wrapMethod(client, name, this, (original) => this._wrapper(name, original));
    if (typeof client['startChat'] === 'function') {
      const instrument = (chat: unknown) => this.instrumentClient(chat);
      wrapMethod(client, 'startChat', this, (original) => {
        return function startChat(this: unknown, ...args: unknown[]): unknown {
          const chat = original.apply(this, args);
          instrument(chat);
          return chat;
        };
      });
    }
  }

  private _patchModule(moduleExports: unknown): void {
    const { model, chat } = classes(moduleExports);
    if (model === undefined || chat === undefined) {
      this._diagLogger.warn('@google/generative-ai loaded, but GenerativeModel/ChatSession were not found');
    }
    for (const name of MODEL_METHODS)
      if (model !== undefined) wrapMethod(model, name, this, (o) => this._wrapper(name, o));
    for (const name of CHAT_METHODS)
      if (chat !== undefined) wrapMethod(chat, name, this, (o) => this._wrapper(name, o));
  }

  private _wrapper(method: Method, original: AnyFunction): AnyFunction {
    const host = () => this._host();
    const prepare = (target: unknown, args: unknown[]) => this._prepare(method, target, args);
    return function patched(this: unknown, ...args: unknown[]): unknown {
      return traceCall(host(), this, original, args, () => prepare(this, args));
    };
  }

  private _prepare(method: Method, target: unknown, args: unknown[]): PreparedCall<unknown> | undefined {
    const chat = method === 'sendMessage' || method === 'sendMessageStream';
    const stream = method === 'generateContentStream' || method === 'sendMessageStream';
    const embed = method === 'embedContent';
    const capture = this._host()?.captureContent ?? false;
    const options = { ...(field(target, '_requestOptions') as Obj | undefined), ...(args[1] as Obj | undefined) };
    const server = serverInfo(str(options['baseUrl']) ?? DEFAULT_BASE_URL);
    const model = bareModelName(str(field(target, 'model')) ?? '');
    let attributes: Attributes;
    let input: () => Message[];
    let system: unknown;
    let tools: unknown;
    if (embed) {
      const request = args[0];
      const content = isObj(request) && 'content' in request ? request['content'] : request;
      const contents = isObj(content) && 'parts' in content ? [content] : content;
      input = () => geminiMessages(contents);
      attributes = {};
      const dimensions = field(request, 'outputDimensionality');
      if (typeof dimensions === 'number') attributes[ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT] = dimensions;
    } else if (chat) {
      const params = field(target, 'params');
      // The SDK sends its history (which it appends to after the call) and the new turn.
      const history = arr(field(target, '_history')).slice();
      const turn = args[0];
      input = () => [...geminiMessages(history), ...geminiMessages(turn).map((m) => ({ ...m, role: 'user' }))];
      attributes = generationAttributes(field(params, 'generationConfig'));
      system = field(params, 'systemInstruction');
      tools = field(params, 'tools');
    } else {
      const request = asRequest(args[0]);
      const contents = Array.isArray(request['contents']) ? request['contents'].slice() : request['contents'];
      input = () => geminiMessages(contents);
      attributes = generationAttributes(request['generationConfig'] ?? field(target, 'generationConfig'));
      system = request['systemInstruction'] ?? field(target, 'systemInstruction');
      tools = request['tools'] ?? field(target, 'tools');
    }
    const diag = this._diagLogger;
    return {
      request: {
        operation: embed ? GEN_AI_OPERATION_EMBEDDINGS : GEN_AI_OPERATION_GENERATE_CONTENT,
        provider: GEN_AI_PROVIDER_GCP_GEMINI,
        model,
        server,
        stream,
        attributes,
        content: () => ({ input: input(), system: geminiSystem(system), tools: geminiTools(tools) }),
      },
      observe: (result: unknown, call: ModelCall) => {
        if (!isThenable(result)) {
          call.succeed();
          return result;
        }
        result.then(
          (value) => {
            try {
              if (embed) call.succeed();
              else if (!stream) call.succeed(() => geminiResult(field(value, 'response'), capture));
              else this._observeStream(value, call, capture);
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

  /**
   * `{ stream, response }`: the SDK reads the whole body into `response` whether or not the
   * application reads `stream`. The call ends when the application has read `stream` to its end,
   * or else when `response` settles (a consumer that stops early does not stop the download).
   */
  private _observeStream(value: unknown, call: ModelCall, capture: boolean): void {
    const stream = field(value, 'stream');
    const response = field(value, 'response');
    if (isObj(stream) && typeof stream['next'] === 'function') {
      const reader = new GeminiStreamReader(capture);
      call.collectFrom(reader);
      const onError = (err: unknown) => this._diagLogger.error('could not read a Gemini chunk', err);
      observeGeneratorInPlace(stream as unknown as AsyncGenerator, call, reader, onError, { abandonOnReturn: false });
    }
    if (!isThenable(response)) return;
    response.then(
      (aggregated) => call.succeed(() => geminiResult(aggregated, capture)),
      (err: unknown) => call.fail(err),
    );
  }
}
