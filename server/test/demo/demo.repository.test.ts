import { render, Storage } from '@kaizen/clickhouse';
import { describe, expect, it } from 'vitest';
import { DemoRepository } from '../../src/demo/demo.repository.js';

/** The SQL behind the demo's progress and report, and its bound parameters (rendering needs no connection). */

const storage = new Storage(
  {} as never,
  { mode: 'embedded', database: 'otel', cluster: undefined, dataDir: undefined },
  async () => {},
);
const repo = new DemoRepository(storage);
const since = new Date('2026-03-01T10:00:00Z');

describe('DemoRepository SQL', () => {
  it('counts the runs’ stored spans and calls', () => {
    expect(render(repo.storedSpansSql(['t1', 't2'], since))).toMatchInlineSnapshot(`
      {
        "params": {
          "p0": "1772359200.000000000",
          "p1": [
            "t1",
            "t2",
          ],
        },
        "text": "SELECT count() AS spans
      FROM otel.otel_traces
      WHERE Timestamp >= {p0:DateTime64(9)} AND TraceId IN {p1:Array(String)}",
      }
    `);
    expect(render(repo.callTotalsSql(['t1'], since))).toMatchInlineSnapshot(`
      {
        "params": {
          "p0": "1772359200.000000000",
          "p1": [
            "t1",
          ],
        },
        "text": "SELECT count() AS calls, countIf(IsError = 1) AS errors, sum(CostUSD) AS costUSD,
             arraySort(groupUniqArray(Provider)) AS providers
      FROM otel.genai_calls
      WHERE Timestamp >= {p0:DateTime64(9)} AND TraceId IN {p1:Array(String)}",
      }
    `);
  });

  it('reads the runs’ live findings, the cross-run findings and the analysed costs', () => {
    expect(render(repo.runFindingsSql(['t1']))).toMatchInlineSnapshot(`
      {
        "params": {
          "p0": [
            "t1",
          ],
        },
        "text": "SELECT FindingId, TraceId, Scope, WorkflowName, Kind, Subkind, Title, Recommendation,
             WasteCostUSD, SavingUSDPerRun, SavingUSDPerMonth
      FROM otel.waste_findings FINAL
      WHERE IsDeleted = 0 AND Scope = 'run' AND TraceId IN {p0:Array(String)}
      ORDER BY SavingUSDPerRun DESC, FindingId",
      }
    `);
    expect(render(repo.crossRunFindingsSql('email-crew', since))).toMatchInlineSnapshot(`
      {
        "params": {
          "p0": "email-crew",
          "p1": "1772359200.000000000",
        },
        "text": "SELECT FindingId, TraceId, Scope, WorkflowName, Kind, Subkind, Title, Recommendation,
             WasteCostUSD, SavingUSDPerRun, SavingUSDPerMonth
      FROM otel.waste_findings FINAL
      WHERE IsDeleted = 0 AND Scope = 'cross_run' AND ServiceName = {p0:String}
        AND CreatedAt >= {p1:DateTime64(9)}
      ORDER BY SavingUSDPerMonth DESC, FindingId",
      }
    `);
    expect(render(repo.workflowCostsSql(['t1']))).toMatchInlineSnapshot(`
      {
        "params": {
          "p0": [
            "t1",
          ],
        },
        "text": "SELECT WorkflowName AS workflow, count() AS runs, sum(CostUSD) AS costUSD, sum(CostAfterUSD) AS costAfterUSD
      FROM otel.analyses FINAL
      WHERE Status = 'done' AND TraceId IN {p0:Array(String)}
      GROUP BY workflow
      ORDER BY costUSD DESC, workflow",
      }
    `);
  });
});
