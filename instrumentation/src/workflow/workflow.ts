import { hrTimeOf, nowMs } from '../core/clock.js';
import {
  context,
  diag,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { serializeBounded } from '../core/content.js';
import { errorMessage, errorType } from '../core/model-call.js';
import type { Json } from '../core/messages.js';
import { isThenable } from '../core/read.js';
import {
  currentContext,
  enterExplicitScope,
  scopeAttributes,
  withScopeAttributes,
  type ExplicitScope,
} from '../core/scope.js';
import { processEnv, resolveCaptureContent, resolveMaxContentLength } from '../core/settings.js';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_AGENT_ID,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_TOOL_CALL_ARGUMENTS,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_CALL_RESULT,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_TOOL_TYPE,
  ATTR_GEN_AI_WORKFLOW_NAME,
  ATTR_KAIZEN_AGENT_NAME,
  ATTR_KAIZEN_FEATURE,
  ATTR_KAIZEN_WORKFLOW_NAME,
  ATTR_SESSION_ID,
  ATTR_USER_ID,
  GEN_AI_OPERATION_EXECUTE_TOOL,
  GEN_AI_OPERATION_INVOKE_AGENT,
  GEN_AI_OPERATION_INVOKE_WORKFLOW,
} from '../semconv.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../version.js';

/** Who and what a unit of work is for: propagated to every model call inside it, for cost attribution. */
export interface AttributionOptions {
  /** user.id */
  readonly userId?: string | undefined;
  /** session.id */
  readonly sessionId?: string | undefined;
  /** kaizen.feature: a free label (the product feature that pays for the calls). */
  readonly feature?: string | undefined;
}

export interface WorkflowOptions extends AttributionOptions {
  /** More attributes for the workflow span itself (not propagated). */
  readonly attributes?: Attributes | undefined;
}

export interface AgentOptions extends WorkflowOptions {
  /** gen_ai.agent.id */
  readonly id?: string | undefined;
}

export interface ToolOptions {
  /** gen_ai.tool.call.id: the model's id for this call, linking it to the tool_call part. */
  readonly callId?: string | undefined;
  /** gen_ai.tool.type: function, extension or datastore. */
  readonly type?: string | undefined;
  /** The call's arguments, recorded as gen_ai.tool.call.arguments when content is captured. */
  readonly arguments?: unknown;
  readonly attributes?: Attributes | undefined;
}

let captureContent: boolean | undefined;
let maxContentLength: number | undefined;

/** Sets content capture for tool spans (register() calls this with its own setting). */
export function configureWorkflows(settings: { captureMessageContent?: boolean; maxContentLength?: number }): void {
  if (settings.captureMessageContent !== undefined) captureContent = settings.captureMessageContent;
  if (settings.maxContentLength !== undefined) maxContentLength = settings.maxContentLength;
}

function capturing(): boolean {
  captureContent ??= resolveCaptureContent(undefined, false, processEnv());
  return captureContent;
}

function tracer() {
  return trace.getTracer(PACKAGE_NAME, PACKAGE_VERSION);
}

function scopeOf(options: AttributionOptions | undefined): Attributes {
  return {
    [ATTR_USER_ID]: options?.userId,
    [ATTR_SESSION_ID]: options?.sessionId,
    [ATTR_KAIZEN_FEATURE]: options?.feature,
  };
}

function definedAttributes(...sources: (Attributes | undefined)[]): Attributes {
  const out: Attributes = {};
  for (const source of sources) {
    if (source === undefined) continue;
    for (const [key, value] of Object.entries(source)) if (value !== undefined) out[key] = value;
  }
  return out;
}

function endSpan(span: Span, error: unknown): void {
  if (error !== undefined) {
    span.setAttribute(ATTR_ERROR_TYPE, errorType(error));
    span.recordException(error instanceof Error ? error : errorMessage(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
  }
  span.end(hrTimeOf(nowMs()));
}

function jsonAttribute(value: unknown): string {
  const limit = maxContentLength ?? resolveMaxContentLength(undefined, processEnv());
  return serializeBounded((value === undefined ? null : value) as Json, limit).json;
}

/**
 * Runs `fn` in `ctx` with `span`, ending the span when `fn` returns or its promise settles (the
 * caller gets `fn`'s own result, untouched). `onResult` may add attributes from the result.
 */
function runInSpan<T>(span: Span, ctx: Context, fn: () => T, onResult?: (value: unknown) => void): T {
  let result: T;
  try {
    result = context.with(ctx, fn);
  } catch (err) {
    endSpan(span, err);
    throw err;
  }
  if (isThenable(result)) {
    result.then(
      (value) => {
        safe(() => onResult?.(value));
        endSpan(span, undefined);
      },
      (err: unknown) => endSpan(span, err ?? 'rejected'),
    );
    return result;
  }
  safe(() => onResult?.(result));
  endSpan(span, undefined);
  return result;
}

function safe(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    diag.error('@kaizen/instrumentation: could not record a span attribute', err);
  }
}

interface Started {
  readonly span: Span;
  readonly context: Context;
}

function start(
  name: string,
  operation: string,
  attributes: Attributes,
  scope: Attributes,
  parent: Context = currentContext(),
): Started | undefined {
  try {
    const ctx = withScopeAttributes(parent, scope);
    const span = tracer().startSpan(
      name,
      {
        kind: SpanKind.INTERNAL,
        attributes: definedAttributes(scopeAttributes(ctx), attributes, { [ATTR_GEN_AI_OPERATION_NAME]: operation }),
        startTime: hrTimeOf(nowMs()),
      },
      ctx,
    );
    return { span, context: trace.setSpan(ctx, span) };
  } catch (err) {
    diag.error('@kaizen/instrumentation: could not start a span', err);
    return undefined;
  }
}

function workflowStart(name: string, options: WorkflowOptions | undefined, parent?: Context): Started | undefined {
  return start(
    `${GEN_AI_OPERATION_INVOKE_WORKFLOW} ${name}`,
    GEN_AI_OPERATION_INVOKE_WORKFLOW,
    { [ATTR_GEN_AI_WORKFLOW_NAME]: name, ...options?.attributes },
    { [ATTR_KAIZEN_WORKFLOW_NAME]: name, ...scopeOf(options) },
    parent,
  );
}

/**
 * Runs `fn` as one workflow run: an `invoke_workflow {name}` span, and every model call, agent and
 * tool inside it carries kaizen.workflow.name (and user.id, session.id, kaizen.feature when given).
 */
export function withWorkflow<T>(name: string, fn: () => T, options?: WorkflowOptions): T {
  const started = workflowStart(name, options);
  return started === undefined ? fn() : runInSpan(started.span, started.context, fn);
}

/** Runs `fn` as an agent invocation: an `invoke_agent {name}` span; calls inside carry kaizen.agent.name. */
export function withAgent<T>(name: string, fn: () => T, options?: AgentOptions): T {
  const started = start(
    `${GEN_AI_OPERATION_INVOKE_AGENT} ${name}`,
    GEN_AI_OPERATION_INVOKE_AGENT,
    { [ATTR_GEN_AI_AGENT_NAME]: name, [ATTR_GEN_AI_AGENT_ID]: options?.id, ...options?.attributes },
    { [ATTR_KAIZEN_AGENT_NAME]: name, ...scopeOf(options) },
  );
  return started === undefined ? fn() : runInSpan(started.span, started.context, fn);
}

/** Runs `fn` as a tool execution: an `execute_tool {name}` span (arguments and result when content is captured). */
export function withTool<T>(name: string, fn: () => T, options?: ToolOptions): T {
  const capture = capturing();
  const attributes: Attributes = {
    [ATTR_GEN_AI_TOOL_NAME]: name,
    [ATTR_GEN_AI_TOOL_CALL_ID]: options?.callId,
    [ATTR_GEN_AI_TOOL_TYPE]: options?.type ?? 'function',
    ...options?.attributes,
  };
  if (capture && options?.arguments !== undefined) {
    attributes[ATTR_GEN_AI_TOOL_CALL_ARGUMENTS] = jsonAttribute(options.arguments);
  }
  const started = start(`${GEN_AI_OPERATION_EXECUTE_TOOL} ${name}`, GEN_AI_OPERATION_EXECUTE_TOOL, attributes, {});
  if (started === undefined) return fn();
  const span = started.span;
  return runInSpan(span, started.context, fn, (value) => {
    if (capture && value !== undefined) span.setAttribute(ATTR_GEN_AI_TOOL_CALL_RESULT, jsonAttribute(value));
  });
}

/** Runs `fn` with user.id / session.id / kaizen.feature set on every model call inside it (no span of its own). */
export function withAttributes<T>(options: AttributionOptions, fn: () => T): T {
  let ctx: Context;
  try {
    ctx = withScopeAttributes(currentContext(), scopeOf(options));
  } catch (err) {
    diag.error('@kaizen/instrumentation: could not set attributes', err);
    return fn();
  }
  return context.with(ctx, fn);
}

/** A workflow started with startWorkflow(), ended with endWorkflow() or end(). */
export interface WorkflowHandle {
  readonly name: string;
  /** The workflow span (a non-recording span if it could not start). */
  readonly span: Span;
  /** The context of the workflow, for code that runs outside the asynchronous flow that started it. */
  readonly context: Context;
  /** Runs `fn` inside the workflow (needed only outside the flow that called startWorkflow). */
  run<T>(fn: () => T): T;
  /** Ends the workflow span (once); an error marks it failed. */
  end(error?: unknown): void;
}

/**
 * The explicit form: starts a workflow that lasts until endWorkflow(). Model calls, agents and
 * tools after it in the same asynchronous flow (after awaits too) belong to it; concurrent
 * workflows started in separate async functions stay apart. Code scheduled elsewhere can use
 * `handle.run`. Explicit workflows do not nest in each other (use withWorkflow to nest).
 */
export function startWorkflow(name: string, options?: WorkflowOptions): WorkflowHandle {
  // Parented by the OpenTelemetry context only (see ExplicitScope): never by another explicit workflow.
  const started = workflowStart(name, options, context.active());
  const span =
    started?.span ?? trace.wrapSpanContext({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 });
  const ctx = started?.context ?? context.active();
  let scope: ExplicitScope | undefined;
  try {
    scope = enterExplicitScope(ctx, trace.getSpan(context.active()));
  } catch (err) {
    diag.error('@kaizen/instrumentation: could not enter the workflow scope', err);
  }
  let ended = false;
  return {
    name,
    span,
    context: ctx,
    run: <T>(fn: () => T): T => context.with(ctx, fn),
    end: (error?: unknown) => {
      if (ended) return;
      ended = true;
      if (scope !== undefined) scope.ended = true;
      safe(() => endSpan(span, error));
    },
  };
}

/** Ends a workflow started with startWorkflow(). */
export function endWorkflow(handle: WorkflowHandle, error?: unknown): void {
  handle.end(error);
}
