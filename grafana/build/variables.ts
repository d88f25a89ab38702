import type { VariableSpec } from './kit.ts';
import { CALLS_HOURLY, HOURS, SERVICE, WORKFLOW, where } from './sql.ts';

export const serviceVariable: VariableSpec = {
  kind: 'clickhouse',
  name: 'service',
  label: 'Service',
  description: 'service.name of the instrumented application',
  sql: `SELECT DISTINCT ServiceName FROM ${CALLS_HOURLY}\nWHERE ${HOURS}\nORDER BY ServiceName`,
};

export const workflowVariable: VariableSpec = {
  kind: 'clickhouse',
  name: 'workflow',
  label: 'Workflow',
  description: 'The workflow name (kaizen.workflow.name, gen_ai.workflow.name, traceloop.workflow.name …)',
  sql: `SELECT DISTINCT WorkflowName FROM ${CALLS_HOURLY}\nWHERE ${where(HOURS, "WorkflowName != ''", SERVICE)}\nORDER BY WorkflowName`,
};

export const modelVariable: VariableSpec = {
  kind: 'clickhouse',
  name: 'model',
  label: 'Model',
  description: 'The requested model (the response model when no request model was recorded)',
  sql: `SELECT DISTINCT Model FROM ${CALLS_HOURLY}\nWHERE ${where(HOURS, "Model != ''", SERVICE, WORKFLOW)}\nORDER BY Model`,
};

export const kindVariable: VariableSpec = {
  kind: 'custom',
  name: 'kind',
  label: 'Finding kind',
  description: 'The kind of waste',
  values: ['redundant_call', 'model_overkill', 'prompt_bloat', 'retry_waste', 'agent_loop'],
};

export const traceIdVariable: VariableSpec = {
  kind: 'textbox',
  name: 'trace_id',
  label: 'Trace id',
  description: 'A workflow run (trace id) to show in detail; click a run in the table to set it',
};
