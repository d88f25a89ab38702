import type { Attributes } from '@opentelemetry/api';
import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { GenAIInstrumentation } from '../core/genai-instrumentation.js';
import type { ModelCall } from '../core/model-call.js';
import type { RequestContent } from '../core/model-call.types.js';
import { claimInstance, unwrapMethod, wrapMethod, type AnyFunction } from '../core/patch.js';
import { arr, field, isObj, str, type Obj } from '../core/read.js';
import { serverInfo, type ServerInfo } from '../core/server.js';
import { observeApiPromise, observeStainlessStream } from '../core/stainless.js';
import { traceCall, type PreparedCall } from '../core/trace-call.js';
import {
  ATTR_GEN_AI_CONVERSATION_ID,
  GEN_AI_OPERATION_CHAT,
  GEN_AI_OPERATION_EMBEDDINGS,
  GEN_AI_PROVIDER_AWS_BEDROCK,
  GEN_AI_PROVIDER_AZURE_OPENAI,
  GEN_AI_PROVIDER_OPENAI,
} from '../semconv.js';
import type { OpenAIInstrumentationConfig } from '../types.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../version.js';
import { chatInputMessages, chatRequestAttributes, chatResult, ChatStreamReader, chatTools } from './chat.js';
import { embeddingsInput, embeddingsRequestAttributes, embeddingsResult } from './embeddings.js';
import {
  responsesConversation,
  responsesInputMessages,
  responsesRequestAttributes,
  responsesResult,
  ResponsesStreamReader,
  responsesTools,
} from './responses.js';

/** openai 4.x to 7.x (openai 7 changed nothing the instrumentation reads). */
export const OPENAI_SUPPORTED_VERSIONS = ['>=4 <8'];

type Kind = 'chat' | 'responses' | 'embeddings';

interface Target {
  readonly kind: Kind;
  readonly proto: object | undefined;
}

function openaiClass(moduleExports: unknown): Obj | undefined {
  const m = moduleExports as Obj | undefined;
  const candidate = field(m, 'OpenAI') ?? field(field(m, 'default'), 'OpenAI') ?? field(m, 'default');
  return typeof candidate === 'function' ? (candidate as unknown as Obj) : undefined;
}

function prototypeOf(cls: unknown): object | undefined {
  const proto = field(cls, 'prototype');
  return isObj(proto) ? proto : undefined;
}

function targets(OpenAI: Obj): Target[] {
  return [
    { kind: 'chat', proto: prototypeOf(field(field(OpenAI, 'Chat'), 'Completions')) },
    { kind: 'responses', proto: prototypeOf(field(OpenAI, 'Responses')) },
    { kind: 'embeddings', proto: prototypeOf(field(OpenAI, 'Embeddings')) },
  ];
}

function providerFor(server: ServerInfo | undefined): string {
  const host = server?.address ?? '';
  if (host.endsWith('.openai.azure.com') || host.endsWith('.services.ai.azure.com'))
    return GEN_AI_PROVIDER_AZURE_OPENAI;
  if (host.includes('bedrock')) return GEN_AI_PROVIDER_AWS_BEDROCK;
  return GEN_AI_PROVIDER_OPENAI;
}

/**
 * GenAI spans for `openai`: chat.completions.create (plain and stream, which also covers the
 * SDK's stream()/parse()/runTools() helpers), responses.create (plain and stream, and
 * responses.stream()), embeddings.create.
 */
export class OpenAIInstrumentation extends GenAIInstrumentation<OpenAIInstrumentationConfig> {
  public constructor(config: OpenAIInstrumentationConfig = {}) {
    super(`${PACKAGE_NAME}/openai`, PACKAGE_VERSION, config);
  }

  protected init(): InstrumentationNodeModuleDefinition[] {
    return [
      new InstrumentationNodeModuleDefinition(
        'openai',
        OPENAI_SUPPORTED_VERSIONS,
        (moduleExports: unknown) => {
          this._patchModule(moduleExports);
          return moduleExports;
        },
        (moduleExports: unknown) => {
          const OpenAI = openaiClass(moduleExports);
          if (OpenAI === undefined) return;
          for (const t of targets(OpenAI)) if (t.proto !== undefined) unwrapMethod(t.proto, 'create', this);
        },
      ),
    ];
  }

  public manuallyInstrument(moduleExports: unknown): void {
    this._patchModule(moduleExports);
  }

  /** Instruments one client (code bundled where the module cannot be patched). */
  public instrumentClient(client: unknown): void {
    if (!isObj(client) || !claimInstance(client, this)) return;
    const resources: [Kind, unknown][] = [
      ['chat', field(field(client, 'chat'), 'completions')],
      ['responses', field(client, 'responses')],
      ['embeddings', field(client, 'embeddings')],
    ];
    for (const [kind, resource] of resources) {
      if (isObj(resource)) wrapMethod(resource, 'create', this, (original) => this._wrapper(kind, original));
    }
  }

  private _patchModule(moduleExports: unknown): void {
    const OpenAI = openaiClass(moduleExports);
    if (OpenAI === undefined) {
      this._diagLogger.warn('openai loaded, but its OpenAI class was not found: not instrumented');
      return;
    }
    for (const t of targets(OpenAI)) {
      if (
        t.proto === undefined ||
        !wrapMethod(t.proto, 'create', this, (original) => this._wrapper(t.kind, original))
      ) {
        this._diagLogger.debug(`openai: no ${t.kind}.create to instrument`);
      }
    }
  }

  private _wrapper(kind: Kind, original: AnyFunction): AnyFunction {
    const host = () => this._host();
    const prepare = (target: unknown, args: unknown[]) => this._prepare(kind, target, args);
    return function create(this: unknown, ...args: unknown[]): unknown {
      return traceCall(host(), this, original, args, () => prepare(this, args));
    };
  }

  private _prepare(kind: Kind, resource: unknown, args: unknown[]): PreparedCall<unknown> | undefined {
    const body = args[0];
    if (!isObj(body)) return undefined;
    const host = this._host();
    const capture = host?.captureContent ?? false;
    const server = serverInfo(str(field(field(resource, '_client'), 'baseURL')));
    const provider = providerFor(server);
    const model = str(body['model']) ?? '';
    const stream = body['stream'] === true;
    let attributes: Attributes;
    let content: () => RequestContent;
    let callArgs: unknown[] | undefined;
    let injectedUsage = false;
    if (kind === 'chat') {
      attributes = chatRequestAttributes(body);
      const messages = arr(body['messages']).slice();
      const { tools, functions } = body;
      content = () => ({ input: chatInputMessages(messages), system: undefined, tools: chatTools(tools, functions) });
      if (stream && this._shouldRequestUsage(body, server)) {
        injectedUsage = true;
        const streamOptions = isObj(body['stream_options']) ? body['stream_options'] : {};
        callArgs = [{ ...body, stream_options: { ...streamOptions, include_usage: true } }, ...args.slice(1)];
      }
    } else if (kind === 'responses') {
      attributes = responsesRequestAttributes(body);
      const input = Array.isArray(body['input']) ? body['input'].slice() : body['input'];
      const { tools } = body;
      const instructions = str(body['instructions']);
      content = () => ({
        input: responsesInputMessages(input),
        system: instructions ? [{ type: 'text', content: instructions }] : undefined,
        tools: responsesTools(tools),
      });
      const conversation = responsesConversation(body);
      if (conversation !== undefined) attributes[ATTR_GEN_AI_CONVERSATION_ID] = conversation;
    } else {
      attributes = embeddingsRequestAttributes(body);
      const input = Array.isArray(body['input']) ? body['input'].slice() : body['input'];
      content = () => ({ input: embeddingsInput(input), system: undefined, tools: undefined });
    }
    const operation = kind === 'embeddings' ? GEN_AI_OPERATION_EMBEDDINGS : GEN_AI_OPERATION_CHAT;
    const diag = this._diagLogger;
    return {
      request: { operation, provider, model, server, stream, attributes, content },
      args: callArgs,
      observe: (result: unknown, call: ModelCall) => {
        observeApiPromise(
          result,
          call,
          (value) => this._onValue(kind, value, call, stream, capture, injectedUsage),
          diag,
        );
        return result;
      },
    };
  }

  private _onValue(
    kind: Kind,
    value: unknown,
    call: ModelCall,
    stream: boolean,
    capture: boolean,
    injectedUsage: boolean,
  ): unknown {
    if (stream) {
      const reader =
        kind === 'chat' ? new ChatStreamReader(capture, injectedUsage) : new ResponsesStreamReader(capture);
      call.collectFrom(reader);
      if (!observeStainlessStream(value, call, reader, this._diagLogger)) call.succeed();
      return value;
    }
    if (kind === 'chat') call.succeed(() => chatResult(value, capture));
    else if (kind === 'responses') call.succeed(() => responsesResult(value, capture));
    else call.succeed(() => embeddingsResult(value));
    return value;
  }

  private _shouldRequestUsage(body: Obj, server: ServerInfo | undefined): boolean {
    if (isObj(body['stream_options']) && body['stream_options']['include_usage'] !== undefined) return false;
    const mode = this.getConfig().streamUsage ?? 'auto';
    if (mode === 'never') return false;
    return mode === 'always' || server?.address === 'api.openai.com';
  }
}
