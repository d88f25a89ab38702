import { AsyncLocalStorage } from 'node:async_hooks';
import { context, createContextKey, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

/**
 * What a model-call span inherits from the workflow, agent or attribution scope it runs in, kept
 * on the OpenTelemetry context (so concurrent workflows never mix): kaizen.workflow.name,
 * kaizen.agent.name, user.id, session.id, kaizen.feature.
 *
 * createContextKey() keys are Symbol.for(description), so two copies of this package agree on them.
 */
const SCOPE_KEY = createContextKey('kaizen.instrumentation.scope');

/** Set on the context a model call's SDK method runs in: a nested instrumented call passes through. */
export const MODEL_CALL_KEY = createContextKey('kaizen.instrumentation.model-call');

/**
 * Set by wrappers of SDK helpers that start the SDK's own call span before calling the method we
 * instrument (@anthropic-ai/sdk's messages.stream()): the helper runs with tracing suppressed, so
 * the SDK's span is not recorded, and the caller's context is kept here for our span to use.
 */
const SDK_SUPPRESSED_KEY = createContextKey('kaizen.instrumentation.sdk-suppressed');

/** `ctx` with tracing suppressed for the SDK's own spans, remembering `ctx` for ours. */
export function suppressSdkSpans(ctx: Context): Context {
  return suppressTracing(ctx).setValue(SDK_SUPPRESSED_KEY, ctx);
}

/** The caller's context: `ctx`, or the one suppressSdkSpans() kept. */
export function callerContext(ctx: Context): Context {
  return (ctx.getValue(SDK_SUPPRESSED_KEY) as Context | undefined) ?? ctx;
}

export function scopeAttributes(ctx: Context): Readonly<Attributes> | undefined {
  return ctx.getValue(SCOPE_KEY) as Readonly<Attributes> | undefined;
}

/** `ctx` with `extra` added to its scope attributes (undefined values are left out). */
export function withScopeAttributes(ctx: Context, extra: Attributes): Context {
  const merged: Attributes = { ...scopeAttributes(ctx) };
  let changed = false;
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) continue;
    merged[key] = value;
    changed = true;
  }
  return changed ? ctx.setValue(SCOPE_KEY, Object.freeze(merged)) : ctx;
}

/**
 * The explicit form, startWorkflow()/endWorkflow(): a scope entered for the rest of the current
 * asynchronous execution (AsyncLocalStorage.enterWith) rather than around a callback. Async
 * continuations created after the start keep it. Two rules keep concurrent workflows apart, since
 * enterWith in an async function's first synchronous part also reaches its caller: an ended scope
 * applies to nothing (a caller that awaited concurrent workflows is in none of them), and a new
 * explicit workflow never nests under another explicit one (it nests under withWorkflow/withAgent).
 */
export interface ExplicitScope {
  readonly context: Context;
  /** The span that was active when the scope started: while it is still the active one, the scope applies. */
  readonly baseSpan: Span | undefined;
  ended: boolean;
}

const explicitScopes = new AsyncLocalStorage<ExplicitScope>();

function liveScope(): ExplicitScope | undefined {
  const scope = explicitScopes.getStore();
  return scope === undefined || scope.ended ? undefined : scope;
}

export function enterExplicitScope(ctx: Context, baseSpan: Span | undefined): ExplicitScope {
  const scope: ExplicitScope = { context: ctx, baseSpan, ended: false };
  explicitScopes.enterWith(scope);
  return scope;
}

/**
 * The context a new span should start in: the active OpenTelemetry context, or the live explicit
 * scope's when nothing more specific became active since it started. A more specific active
 * context still inherits the scope's attributes when it carries none of its own.
 */
export function currentContext(active: Context = context.active()): Context {
  const scope = liveScope();
  if (scope === undefined) return active;
  if (trace.getSpan(active) === scope.baseSpan) return scope.context;
  const inherited = scopeAttributes(scope.context);
  if (inherited !== undefined && scopeAttributes(active) === undefined) return active.setValue(SCOPE_KEY, inherited);
  return active;
}
