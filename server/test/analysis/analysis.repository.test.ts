import { render, Storage } from '@kaizen/clickhouse';
import { describe, expect, it } from 'vitest';
import { AnalysisRepository } from '../../src/analysis/analysis.repository.js';

/**
 * The SQL the analysis sends, and its bound parameters: a change shows in review. Rendering needs
 * no connection (nothing is executed here; the engine tests run these against embedded ClickHouse).
 */

const storage = new Storage(
  {} as never,
  { mode: 'embedded', database: 'otel', cluster: undefined, dataDir: undefined },
  async () => {},
);
const repo = new AnalysisRepository(storage);
const range = { from: new Date('2026-03-01T10:00:00Z'), to: new Date('2026-03-01T12:00:00Z') };

describe('AnalysisRepository SQL', () => {
  it('reads a run', () => {
    expect(render(repo.runInfoSql('abc'))).toMatchInlineSnapshot(`
      {
        "params": {
          "p0": "abc",
        },
        "text": "SELECT TraceId, max(WorkflowName) AS WorkflowName, max(ServiceName) AS ServiceName,
          min(Start) AS Start, max(End) AS End, max(LastSeen) AS LastSeen, sum(Calls) AS Calls
      FROM otel.workflow_runs
      WHERE TraceId = {p0:String}
      GROUP BY TraceId",
      }
    `);
    expect(render(repo.callsSql('abc', range))).toMatchInlineSnapshot(`
      {
        "params": {
          "p0": "abc",
          "p1": "1772359200.000000000",
          "p2": "1772366400.000000000",
        },
        "text": "SELECT Timestamp, TraceId, SpanId, ParentSpanId, ServiceName, WorkflowName, AgentName, SessionId,
          ConversationId, Provider, Operation, RequestModel, ResponseModel, PriceModel, InputTokens, OutputTokens,
          CacheReadTokens, CacheWriteTokens, ReasoningTokens, CostUSD, CostSource, DurationNs, IsError, ErrorType,
          FinishReasons, Temperature, TopP, MaxTokens, ToolCount, OutputType, PromptHash, PromptSimHash, SystemHash,
          InputMessages, OutputMessages, SystemInstructions
      FROM otel.genai_calls
      WHERE TraceId = {p0:String}
        AND Timestamp >= {p1:DateTime64(9)} AND Timestamp <= {p2:DateTime64(9)}
      ORDER BY Timestamp, SpanId",
      }
    `);
    expect(render(repo.logMessagesSql('abc', ['s1', 's2']))).toMatchInlineSnapshot(`
      {
        "params": {
          "p0": "abc",
          "p1": [
            "s1",
            "s2",
          ],
        },
        "text": "SELECT SpanId, Timestamp, InputMessages, OutputMessages, SystemInstructions
      FROM otel.genai_log_messages
      WHERE TraceId = {p0:String} AND SpanId IN {p1:Array(String)}
      ORDER BY SpanId, Timestamp",
      }
    `);
    expect(render(repo.toolSpansSql('abc', range))).toMatchInlineSnapshot(`
      {
        "params": {
          "p0": "abc",
          "p1": "1772359200.000000000",
          "p2": "1772366400.000000000",
        },
        "text": "SELECT SpanId, ParentSpanId, Timestamp,
          coalesce(nullIf(SpanAttributes['gen_ai.tool.name'], ''), nullIf(SpanAttributes['tool.name'], ''), SpanName) AS ToolName,
          coalesce(nullIf(SpanAttributes['gen_ai.tool.call.arguments'], ''), SpanAttributes['input.value']) AS Arguments,
          coalesce(nullIf(SpanAttributes['gen_ai.tool.call.result'], ''), SpanAttributes['output.value']) AS Result,
          toUInt8(StatusCode IN ('Error', 'STATUS_CODE_ERROR') OR SpanAttributes['error.type'] != '') AS IsError
      FROM otel.otel_traces
      WHERE TraceId = {p0:String}
        AND Timestamp >= {p1:DateTime64(9)} AND Timestamp <= {p2:DateTime64(9)}
        AND (SpanAttributes['gen_ai.operation.name'] = 'execute_tool' OR SpanAttributes['openinference.span.kind'] = 'TOOL')
      ORDER BY Timestamp, SpanId",
      }
    `);
  });

  it('reads the run rate and prices', () => {
    expect(render(repo.runRateSql('helpdesk', 'support-triage', range))).toMatchInlineSnapshot(`
      {
        "params": {
          "p0": "1772359200.000000000",
          "p1": "1772366400.000000000",
          "p2": "helpdesk",
          "p3": "support-triage",
        },
        "text": "SELECT count() AS Runs, if(count() = 0, NULL, min(RunStart)) AS FirstStart
      FROM (
          SELECT TraceId, max(WorkflowName) AS Workflow, max(ServiceName) AS Service, min(Start) AS RunStart, sum(Calls) AS RunCalls
          FROM otel.workflow_runs
          WHERE Start >= {p0:DateTime64(9)} AND Start <= {p1:DateTime64(9)}
          GROUP BY TraceId
      )
      WHERE Service = {p2:String} AND Workflow = {p3:String} AND RunCalls > 0",
      }
    `);
    expect(render(repo.pricesSql())).toMatchInlineSnapshot(`
      {
        "params": {},
        "text": "SELECT provider, model, inputPerMTok, outputPerMTok, cacheReadPerMTok, cacheWritePerMTok,
          tierThreshold, tierInputPerMTok, tierOutputPerMTok, source
      FROM (
          SELECT 0 AS priority, toUInt32(0) AS ordinal, toString(Provider) AS provider, lower(Model) AS model,
              InputPerMTok AS inputPerMTok, OutputPerMTok AS outputPerMTok, CacheReadPerMTok AS cacheReadPerMTok,
              CacheWritePerMTok AS cacheWritePerMTok, TierThreshold AS tierThreshold, TierInputPerMTok AS tierInputPerMTok,
              TierOutputPerMTok AS tierOutputPerMTok, 'override' AS source
          FROM otel.model_price_overrides FINAL
          WHERE IsDeleted = 0 AND IsPattern = 0
          UNION ALL
          SELECT 1, Ordinal, toString(Provider), Model, InputPerMTok, OutputPerMTok, CacheReadPerMTok, CacheWritePerMTok,
              TierThreshold, TierInputPerMTok, TierOutputPerMTok, 'library'
          FROM otel.model_prices
          WHERE Kind = 'model'
      )
      ORDER BY priority, ordinal",
      }
    `);
  });

  it('reads repeats across runs', () => {
    expect(render(repo.crossRunGroupsSql(range, 'faq', 1000))).toMatchInlineSnapshot(`
      {
        "params": {
          "p0": "1772359200.000000000",
          "p1": "1772366400.000000000",
          "p2": "faq",
          "p3": [
            "length",
            "max_tokens",
            "max_output_tokens",
            "MAX_TOKENS",
          ],
          "p4": 1000,
        },
        "text": "SELECT ServiceName, WorkflowName, PromptHash, any(Provider) AS Provider,
          any(RequestModel) AS RequestModel, any(PriceModel) AS PriceModel, count() AS Calls, uniqExact(TraceId) AS Runs,
          uniqExact(sipHash64(OutputMessages)) AS Answers, sum(CostUSD) AS CostUSD, min(Timestamp) AS FirstSeen,
          max(Timestamp) AS LastSeen, groupArray(20)(SpanId) AS SpanIds, groupArray(20)(TraceId) AS TraceIds,
          max(Temperature) AS MaxTemperature, any(leftUTF8(InputMessages, 400)) AS SamplePrompt
      FROM otel.genai_calls
      WHERE Timestamp >= {p0:DateTime64(9)} AND Timestamp <= {p1:DateTime64(9)} AND ServiceName = {p2:String}
        AND PromptHash != 0 AND IsError = 0 AND NOT hasAny(FinishReasons, {p3:Array(String)}) AND TraceId != ''
      GROUP BY ServiceName, WorkflowName, PromptHash
      HAVING Runs >= 2
      ORDER BY CostUSD DESC
      LIMIT {p4:UInt32}",
      }
    `);
    expect(render(repo.crossRunGroupsSql(range, undefined, 10)).text).not.toContain('ServiceName = {');
    expect(render(repo.windowRunsSql(range, 'faq'))).toMatchInlineSnapshot(`
      {
        "params": {
          "p0": "1772359200.000000000",
          "p1": "1772366400.000000000",
          "p2": "faq",
        },
        "text": "SELECT Service AS ServiceName, Workflow AS WorkflowName, count() AS Runs
      FROM (
          SELECT TraceId, max(WorkflowName) AS Workflow, max(ServiceName) AS Service, sum(Calls) AS RunCalls
          FROM otel.workflow_runs
          WHERE Start >= {p0:DateTime64(9)} AND Start <= {p1:DateTime64(9)}
          GROUP BY TraceId
          HAVING RunCalls > 0
      )
      WHERE Service = {p2:String}
      GROUP BY ServiceName, WorkflowName",
      }
    `);
  });

  it('reads findings and analyses with FINAL', () => {
    expect(render(repo.liveFindingsSql('abc'))).toMatchInlineSnapshot(`
      {
        "params": {
          "p0": "abc",
        },
        "text": "SELECT *
      FROM otel.waste_findings FINAL
      WHERE TraceId = {p0:String} AND IsDeleted = 0 
      ORDER BY SavingUSDPerRun DESC, FindingId",
      }
    `);
    expect(render(repo.liveFindingsSql('', 'faq'))).toMatchInlineSnapshot(`
      {
        "params": {
          "p0": "",
          "p1": "faq",
        },
        "text": "SELECT *
      FROM otel.waste_findings FINAL
      WHERE TraceId = {p0:String} AND IsDeleted = 0 AND ServiceName = {p1:String}
      ORDER BY SavingUSDPerRun DESC, FindingId",
      }
    `);
    expect(render(repo.analysisSql('abc'))).toMatchInlineSnapshot(`
      {
        "params": {
          "p0": "abc",
        },
        "text": "SELECT * FROM otel.analyses FINAL WHERE TraceId = {p0:String}",
      }
    `);
    expect(render(repo.findingsSinceSql(range.from, 'faq', 50))).toMatchInlineSnapshot(`
      {
        "params": {
          "p0": "1772359200.000000000",
          "p1": "faq",
          "p2": 50,
        },
        "text": "SELECT *
      FROM otel.waste_findings FINAL
      WHERE IsDeleted = 0 AND CreatedAt >= {p0:DateTime64(9)} AND ServiceName = {p1:String}
      ORDER BY SavingUSDPerMonth DESC, FindingId
      LIMIT {p2:UInt32}",
      }
    `);
  });
});
