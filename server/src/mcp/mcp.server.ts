import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { FINDING_KINDS } from '@kaizen/clickhouse';
import { z } from 'zod';
import type { AnalysisView } from '../analysis-api/analysis.service.js';
import type { Finding } from '../findings/findings.mapper.js';
import type { Summary } from '../summary/summary.service.js';
import type { WorkflowCall, WorkflowRun } from '../workflows/workflows.service.js';
import { ApiCallError, apiPath, callApi, type KaizenApi } from './kaizen-api.js';
import { compact } from './compact.js';

/** The SQL guide (tables, columns, example queries) an agent reads before writing SQL. */
export const SQL_GUIDE_FILE = fileURLToPath(new URL('../../../docs/sql.md', import.meta.url));

const VERSION = '0.1.0';
/** Strings in tool results are cut here; message content in get_run has its own, smaller cap. */
const MAX_STRING = 2_000;
const MAX_CONTENT = 600;

const traceId = z
  .string()
  .regex(/^[0-9a-fA-F]{32}$/, 'must be a trace id: 32 hex characters')
  .describe('the run: its trace id, 32 hex characters');
const window = {
  since: z
    .string()
    .max(40)
    .optional()
    .describe('start of the window: a duration back from now ("24h", "7d") or an ISO 8601 time; default 24h'),
  until: z.string().max(40).optional().describe('end of the window (same forms); default now'),
  service: z.string().min(1).max(200).optional().describe('only this service (service.name)'),
};

type Call = WorkflowCall;
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const round = (n: number, digits = 6) => Math.round(n * 10 ** digits) / 10 ** digits;

function ok(value: unknown, maxString = MAX_STRING): CallToolResult {
  const structured = compact(value, { maxString }) as Record<string, unknown>;
  return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured };
}

function failure(e: unknown): CallToolResult {
  const message = e instanceof ApiCallError ? `${e.message} (${e.code})` : e instanceof Error ? e.message : String(e);
  return { isError: true, content: [{ type: 'text', text: message }] };
}

/** Runs a tool body; an API refusal or an outage is a tool error the agent can read, never a crash. */
async function tool(body: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await body();
  } catch (e) {
    return failure(e);
  }
}

const runView = (r: WorkflowRun) => ({
  traceId: r.traceId,
  workflow: r.workflow,
  service: r.service,
  start: r.start,
  durationMs: r.durationMs,
  calls: r.calls,
  errors: r.errors,
  costUsd: round(r.costUsd),
  tokens: r.tokens,
  wasteFindings: r.waste.findings,
  savingUsdPerRun: round(r.waste.savingUsdPerRun),
  analysis: r.analysis ? `${r.analysis.status}${r.analysis.stale ? ' (stale: the run grew since)' : ''}` : 'never',
  ...(r.unpricedCalls > 0 ? { unpricedCalls: r.unpricedCalls } : {}),
});

const callView = (c: Call) => ({
  spanId: c.spanId,
  parentSpanId: c.parentSpanId || undefined,
  name: c.name,
  offsetMs: c.offsetMs,
  durationMs: round(c.durationMs, 1),
  model: c.responseModel || c.requestModel,
  provider: c.provider,
  operation: c.operation,
  agent: c.agent || undefined,
  tokens: c.tokens,
  costUsd: round(c.costUsd),
  costSource: c.costSource,
  error: c.isError ? c.errorType || 'error' : undefined,
  finishReasons: c.finishReasons.length ? c.finishReasons : undefined,
  stream: c.stream || undefined,
  temperature: c.temperature ?? undefined,
  promptHash: c.fingerprints.prompt || undefined,
  content: c.content,
});

const findingView = (f: Finding, detail: boolean) => ({
  id: f.id,
  kind: f.subkind ? `${f.kind}/${f.subkind}` : f.kind,
  title: f.title,
  scope: f.scope,
  traceId: f.traceId,
  workflow: f.workflow,
  service: f.service,
  savingUsdPerRun: round(f.saving.perRunUsd),
  savingUsdPerMonth: round(f.saving.perMonthUsd, 2),
  confidence: round(f.confidence, 2),
  detectedBy: f.detectedBy,
  recommendation: f.recommendation,
  ...(detail
    ? {
        evidence: f.evidence,
        evidenceData: f.evidenceData,
        spanIds: f.spanIds,
        models: f.models,
        wasteCostUsd: round(f.wasteCostUsd),
        runsPerDay: round(f.saving.runsPerDay, 2),
        savingUsdPerDay: round(f.saving.perDayUsd, 4),
        createdAt: f.createdAt,
      }
    : {}),
});

function windowQuery(w: { since?: string | undefined; until?: string | undefined; service?: string | undefined }) {
  return { since: w.since, to: w.until, service: w.service };
}

/**
 * Kaizen as an MCP server: tools to list workflows with their cost and waste, read a run, analyse
 * it, rank waste across a window, explain a finding and run read-only SQL, plus the dashboards,
 * alert rules and SQL guide as resources. Every tool goes through the REST API (`api`), so auth,
 * validation and limits are the API's own; results are compact and scrubbed of secrets.
 */
export function createKaizenMcpServer(api: KaizenApi): McpServer {
  const server = new McpServer(
    { name: 'kaizen', title: 'Kaizen — LLM waste analysis', version: VERSION },
    {
      instructions:
        'Kaizen stores every LLM call of the instrumented apps (OpenTelemetry GenAI spans), prices it and finds waste: ' +
        'redundant calls, model overkill, prompt bloat, retry waste and agent loops. Start with top_waste or list_workflows, ' +
        'drill into a run with get_run, explain a finding with explain_finding, analyse a run that was never analysed with ' +
        'analyze_run. query_sql runs read-only ClickHouse SQL; read the kaizen://docs/sql resource for the tables first.',
    },
  );

  server.registerTool(
    'list_workflows',
    {
      title: 'Workflows with cost and waste',
      description:
        'Spend per workflow over a window, then the runs (one trace each) with calls, tokens, cost, waste found and ' +
        'analysis status. Sort by cost to find the expensive runs.',
      inputSchema: {
        ...window,
        workflow: z.string().min(1).max(200).optional().describe('only runs of this workflow'),
        sort: z.enum(['cost', 'start']).default('cost').describe('cost (most expensive first) or start (newest first)'),
        limit: z.number().int().min(1).max(100).default(20).describe('runs to return, 1-100'),
        cursor: z.string().max(500).optional().describe('nextCursor of a previous call, for the next page'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (a) =>
      tool(async () => {
        const w = windowQuery(a);
        const [summary, runs] = await Promise.all([
          callApi<Summary>(api, 'GET', apiPath('/api/summary', { ...w, top: 20 })),
          callApi<Page<WorkflowRun>>(
            api,
            'GET',
            apiPath('/api/workflows', { ...w, workflow: a.workflow, sort: a.sort, limit: a.limit, cursor: a.cursor }),
          ),
        ]);
        return ok({
          window: { from: summary.from, to: summary.to },
          totals: {
            calls: summary.calls,
            costUsd: round(summary.costUsd),
            wasteUsdPerMonth: round(summary.waste.savingUsdPerMonth, 2),
            wasteShareOfSpend: round(summary.waste.shareOfSpend, 4),
          },
          byWorkflow: summary.by.workflow.map((b) => ({ workflow: b.key, calls: b.calls, costUsd: round(b.costUsd) })),
          runs: runs.items.map(runView),
          nextCursor: runs.nextCursor,
        });
      }),
  );

  server.registerTool(
    'get_run',
    {
      title: "One run's calls",
      description:
        'One workflow run: its totals, every model call in order (model, tokens, cost, latency, errors, fingerprints) ' +
        'and the waste found in it. includeContent adds short previews of the messages.',
      inputSchema: {
        traceId,
        includeContent: z.boolean().default(false).describe('add message previews (cut to a few hundred characters)'),
        maxCalls: z
          .number()
          .int()
          .min(1)
          .max(500)
          .default(100)
          .describe('calls to return, 1-500 (the rest are counted)'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (a) =>
      tool(async () => {
        const id = a.traceId.toLowerCase();
        const [run, findings] = await Promise.all([
          callApi<{ run: WorkflowRun; calls: Call[] }>(
            api,
            'GET',
            apiPath(`/api/workflows/${id}`, { content: a.includeContent ? 'true' : undefined }),
          ),
          callApi<Page<Finding>>(api, 'GET', apiPath('/api/findings', { traceId: id, since: '93d', limit: 100 })),
        ]);
        const calls = run.calls.slice(0, a.maxCalls).map(callView);
        return ok(
          {
            run: runView(run.run),
            calls,
            ...(run.calls.length > calls.length ? { callsNotShown: run.calls.length - calls.length } : {}),
            findings: findings.items.map((f) => findingView(f, false)),
          },
          a.includeContent ? MAX_CONTENT : MAX_STRING,
        );
      }),
  );

  server.registerTool(
    'analyze_run',
    {
      title: 'Analyse a run for waste',
      description:
        'Runs the waste analysis on one run now (local detectors, and the Gemini judge when configured), stores the ' +
        'findings and returns them with the saving per run and per month. Re-analysing replaces the earlier findings.',
      inputSchema: { traceId },
      annotations: { readOnlyHint: false, idempotentHint: true, destructiveHint: false, openWorldHint: false },
    },
    (a) =>
      tool(async () => {
        const id = a.traceId.toLowerCase();
        const r = await callApi<AnalysisView>(api, 'POST', `/api/workflows/${id}/analyze`);
        return ok({
          analysisId: r.analysisId,
          traceId: r.traceId,
          workflow: r.workflow,
          calls: r.calls,
          costUsd: round(r.costUsd),
          savingUsdPerRun: round(r.savingUsdPerRun),
          savingUsdPerMonth: round(r.savingUsdPerMonth, 2),
          judge: r.judge,
          durationMs: r.durationMs,
          findings: r.findings.map((f) => findingView(f, false)),
        });
      }),
  );

  server.registerTool(
    'top_waste',
    {
      title: 'Top waste with savings',
      description:
        'The biggest waste across a window: the estimate per kind (US$ per day and month, share of spend) and the ' +
        'findings ranked by monthly saving, each with its fix.',
      inputSchema: {
        ...window,
        since: window.since.describe('start of the window ("7d", ISO 8601); default 7d'),
        workflow: z.string().min(1).max(200).optional().describe('only this workflow'),
        kind: z.enum(FINDING_KINDS).optional().describe('only this kind of waste'),
        limit: z.number().int().min(1).max(50).default(10).describe('findings to return, 1-50'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (a) =>
      tool(async () => {
        const w = { ...windowQuery(a), since: a.since ?? '7d' };
        const [summary, findings] = await Promise.all([
          callApi<Summary>(api, 'GET', apiPath('/api/summary', { ...w, top: 1 })),
          callApi<Page<Finding>>(
            api,
            'GET',
            apiPath('/api/findings', { ...w, workflow: a.workflow, kind: a.kind, sort: 'saving', limit: a.limit }),
          ),
        ]);
        return ok({
          window: { from: summary.from, to: summary.to },
          spendUsd: round(summary.costUsd),
          waste: {
            savingUsdPerDay: round(summary.waste.savingUsdPerDay, 4),
            savingUsdPerMonth: round(summary.waste.savingUsdPerMonth, 2),
            shareOfSpend: round(summary.waste.shareOfSpend, 4),
            byKind: summary.waste.byKind,
          },
          findings: findings.items.map((f) => findingView(f, false)),
        });
      }),
  );

  server.registerTool(
    'explain_finding',
    {
      title: 'Explain a finding',
      description:
        'One finding in full: what was wasted and why (the evidence), the calls involved, the fix, the saving and how ' +
        'confident the detector is.',
      inputSchema: {
        findingId: z
          .string()
          .regex(/^[A-Za-z0-9_:.-]{1,128}$/, 'must be a finding id (letters, digits and _ : . -)')
          .describe('the id of a finding (from top_waste, get_run or analyze_run)'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (a) =>
      tool(async () => {
        const f = await callApi<Finding>(api, 'GET', `/api/findings/${encodeURIComponent(a.findingId)}`);
        let calls: ReturnType<typeof callView>[] = [];
        if (f.traceId && f.spanIds.length > 0) {
          const run = await callApi<{ calls: Call[] }>(api, 'GET', `/api/workflows/${f.traceId}?content=true`).catch(
            () => ({ calls: [] as Call[] }),
          );
          const wanted = new Set(f.spanIds);
          calls = run.calls.filter((c) => wanted.has(c.spanId)).map(callView);
        }
        return ok({ finding: findingView(f, true), calls }, MAX_CONTENT);
      }),
  );

  server.registerTool(
    'query_sql',
    {
      title: 'Read-only SQL',
      description:
        'One read-only ClickHouse SELECT over the store (genai_calls: one row per model call with cost and tokens; ' +
        'workflow_runs; waste_findings; otel_traces; otel_logs; prices). Bind values as {name:Type} with params. ' +
        'ClickHouse refuses writes; time, row and byte limits apply. The kaizen://docs/sql resource lists the columns.',
      inputSchema: {
        query: z.string().min(1).max(20_000).describe('one SELECT (or WITH … SELECT, SHOW, DESCRIBE)'),
        params: z
          .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/), z.union([z.string(), z.number(), z.boolean()]))
          .optional()
          .describe('values for {name:Type} placeholders'),
        maxRows: z.number().int().min(1).max(500).default(100).describe('rows to return, 1-500 (the rest are counted)'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (a) =>
      tool(async () => {
        const r = await callApi<{
          meta: { name: string; type: string }[];
          data: Record<string, unknown>[];
          rows: number;
          statistics?: { elapsed: number; rows_read: number; bytes_read: number };
        }>(api, 'POST', '/api/sql', { query: a.query, format: 'json', params: a.params ?? {} });
        const rows = r.data.slice(0, a.maxRows);
        return ok({
          columns: r.meta.map((m) => `${m.name} ${m.type}`),
          rows,
          rowCount: r.rows,
          ...(r.rows > rows.length ? { rowsNotShown: r.rows - rows.length } : {}),
          ...(r.statistics ? { elapsedSeconds: r.statistics.elapsed, rowsRead: r.statistics.rows_read } : {}),
        });
      }),
  );

  registerResources(server, api);
  return server;
}

function registerResources(server: McpServer, api: KaizenApi): void {
  server.registerResource(
    'sql-guide',
    'kaizen://docs/sql',
    {
      title: 'SQL guide',
      description: "Kaizen's tables and columns, with example queries (spend by model, duplicates, cache hits)",
      mimeType: 'text/markdown',
    },
    (uri) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'text/markdown',
          text: existsSync(SQL_GUIDE_FILE) ? readFileSync(SQL_GUIDE_FILE, 'utf8') : 'The SQL guide is not installed.',
        },
      ],
    }),
  );

  server.registerResource(
    'alert-rules',
    'kaizen://grafana/prometheus-rules',
    {
      title: 'Prometheus alert rules',
      description: "Kaizen's alert rules for cost, waste and regressions (Prometheus rule-file YAML)",
      mimeType: 'text/yaml',
    },
    async (uri) => {
      const r = await api.request('GET', '/api/export/prometheus-rules');
      if (r.status !== 200) throw new ApiCallError(r.status, `HTTP_${r.status}`, 'The alert rules are not available');
      return { contents: [{ uri: uri.href, mimeType: 'text/yaml', text: r.text }] };
    },
  );

  server.registerResource(
    'dashboard',
    new ResourceTemplate('kaizen://grafana/dashboards/{uid}', {
      list: async () => {
        const d = await callApi<{ items: { uid: string; title: string }[] }>(api, 'GET', '/api/export/grafana');
        return {
          resources: d.items.map((i) => ({
            uri: `kaizen://grafana/dashboards/${i.uid}`,
            name: i.uid,
            title: i.title,
            mimeType: 'application/json',
          })),
        };
      },
    }),
    {
      title: 'Grafana dashboard',
      description: 'A Grafana dashboard Kaizen ships, as JSON',
      mimeType: 'application/json',
    },
    async (uri, vars) => {
      const uid = String(vars['uid']);
      const r = await api.request('GET', `/api/export/grafana/${encodeURIComponent(uid)}`);
      if (r.status !== 200) throw new ApiCallError(r.status, `HTTP_${r.status}`, `No dashboard ${uid}`);
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: r.text }] };
    },
  );
}
