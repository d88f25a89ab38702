import { context } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { GenAIInstrumentation } from '../core/genai-instrumentation.js';
import type { ModelCall } from '../core/model-call.js';
import { claimInstance, unwrapMethod, wrapMethod, type AnyFunction } from '../core/patch.js';
import { arr, field, isObj, str, type Obj } from '../core/read.js';
import { suppressSdkSpans } from '../core/scope.js';
import { serverInfo } from '../core/server.js';
import { observeApiPromise, observeStainlessStream } from '../core/stainless.js';
import { traceCall, type PreparedCall } from '../core/trace-call.js';
import { GEN_AI_OPERATION_CHAT, GEN_AI_PROVIDER_ANTHROPIC } from '../semconv.js';
import type { AnthropicInstrumentationConfig } from '../types.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../version.js';
import {
  anthropicInputMessages,
  anthropicSystem,
  anthropicTools,
  messageResult,
  messagesRequestAttributes,
  MessagesStreamReader,
} from './messages.js';

/** @anthropic-ai/sdk 0.x (from 0.20) and 1.x. */
export const ANTHROPIC_SUPPORTED_VERSIONS = ['>=0.20 <2'];

function messagesPrototype(moduleExports: unknown): object | undefined {
  const m = moduleExports as Obj | undefined;
  const Anthropic = field(m, 'Anthropic') ?? field(field(m, 'default'), 'Anthropic') ?? field(m, 'default');
  const proto = field(field(Anthropic, 'Messages'), 'prototype');
  return isObj(proto) ? proto : undefined;
}

/**
 * messages.stream() starts the SDK's own call span (1.x) before it calls create(): run it with the
 * SDK's spans suppressed; create() inside still makes ours, in the caller's context.
 */
function suppressingSdkSpans(original: AnyFunction): AnyFunction {
  return function stream(this: unknown, ...args: unknown[]): unknown {
    const active = context.active();
    if (isTracingSuppressed(active)) return original.apply(this, args);
    return context.with(suppressSdkSpans(active), () => original.apply(this, args));
  };
}

/**
 * GenAI spans for `@anthropic-ai/sdk`: messages.create (plain and stream). messages.stream() and
 * messages.parse() call create, so they are covered once each. @anthropic-ai/sdk 1.x makes call
 * spans of its own when a tracer provider is registered; they are suppressed (one model call, one
 * span, with the conventions' token semantics).
 */
export class AnthropicInstrumentation extends GenAIInstrumentation<AnthropicInstrumentationConfig> {
  public constructor(config: AnthropicInstrumentationConfig = {}) {
    super(`${PACKAGE_NAME}/anthropic`, PACKAGE_VERSION, config);
  }

  protected init(): InstrumentationNodeModuleDefinition[] {
    return [
      new InstrumentationNodeModuleDefinition(
        '@anthropic-ai/sdk',
        ANTHROPIC_SUPPORTED_VERSIONS,
        (moduleExports: unknown) => {
          this._patchModule(moduleExports);
          return moduleExports;
        },
        (moduleExports: unknown) => {
          const proto = messagesPrototype(moduleExports);
          if (proto === undefined) return;
          unwrapMethod(proto, 'create', this);
          unwrapMethod(proto, 'stream', this);
        },
      ),
    ];
  }

  public manuallyInstrument(moduleExports: unknown): void {
    this._patchModule(moduleExports);
  }

  public instrumentClient(client: unknown): void {
    const messages = field(client, 'messages');
    if (!isObj(client) || !isObj(messages) || !claimInstance(client, this)) return;
    wrapMethod(messages, 'create', this, (original) => this._wrapper(original));
    wrapMethod(messages, 'stream', this, suppressingSdkSpans);
  }

  private _patchModule(moduleExports: unknown): void {
    const proto = messagesPrototype(moduleExports);
    if (proto === undefined || !wrapMethod(proto, 'create', this, (original) => this._wrapper(original))) {
      this._diagLogger.warn('@anthropic-ai/sdk loaded, but Messages.create was not found: not instrumented');
      return;
    }
    wrapMethod(proto, 'stream', this, suppressingSdkSpans);
  }

  private _wrapper(original: AnyFunction): AnyFunction {
    const host = () => this._host();
    const prepare = (target: unknown, args: unknown[]) => this._prepare(target, args);
    return function create(this: unknown, ...args: unknown[]): unknown {
      return traceCall(host(), this, original, args, () => prepare(this, args));
    };
  }

  private _prepare(resource: unknown, args: unknown[]): PreparedCall<unknown> | undefined {
    const body = args[0];
    if (!isObj(body)) return undefined;
    const client = field(resource, '_client');
    const capture = this._host()?.captureContent ?? false;
    const stream = body['stream'] === true;
    const diag = this._diagLogger;
    const messages = arr(body['messages']).slice();
    const { system, tools } = body;
    return {
      request: {
        operation: GEN_AI_OPERATION_CHAT,
        provider: str(field(client, '_genAIProviderName')) ?? GEN_AI_PROVIDER_ANTHROPIC,
        model: str(body['model']) ?? '',
        server: serverInfo(str(field(client, 'baseURL'))),
        stream,
        attributes: messagesRequestAttributes(body),
        content: () => ({
          input: anthropicInputMessages(messages),
          system: anthropicSystem(system),
          tools: anthropicTools(tools),
        }),
      },
      observe: (result: unknown, call: ModelCall) => {
        observeApiPromise(
          result,
          call,
          (value) => {
            if (stream) {
              const reader = new MessagesStreamReader(capture);
              call.collectFrom(reader);
              if (!observeStainlessStream(value, call, reader, diag)) call.succeed();
            } else {
              call.succeed(() => messageResult(value, capture));
            }
            return value;
          },
          diag,
        );
        return result;
      },
    };
  }
}
