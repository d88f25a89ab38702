import { chTime } from '@kaizen/clickhouse';
import type { Finding } from '../analysis.types.js';
import type { FindingRow } from '../analysis.repository.js';

/**
 * Findings as waste_findings rows, and the write plan of a re-analysis: the new findings with a
 * higher Version (same FindingId for a finding that still holds, so ReplacingMergeTree keeps one),
 * and a tombstone (IsDeleted = 1, same key, same partition) for every live finding that no longer
 * holds. Readers use FINAL, so re-analysing never duplicates.
 */

let lastVersion = 0n;

/** A strictly increasing version (microseconds since the epoch, bumped on collisions). */
export function nextVersion(now: Date = new Date()): bigint {
  const v = BigInt(now.getTime()) * 1000n;
  lastVersion = v > lastVersion ? v : lastVersion + 1n;
  return lastVersion;
}

export function toFindingRow(
  f: Finding,
  meta: { analysisId: string; runStartMs: number; createdAt: Date; version: bigint },
): FindingRow {
  return {
    FindingId: f.findingId,
    AnalysisId: meta.analysisId,
    TraceId: f.traceId,
    Scope: f.scope,
    ServiceName: f.serviceName,
    WorkflowName: f.workflowName,
    Kind: f.kind,
    Subkind: f.subkind,
    Title: f.title,
    Evidence: f.evidence,
    EvidenceJson: JSON.stringify(f.evidenceData),
    Recommendation: f.recommendation,
    SpanIds: [...f.spanIds],
    Models: [...f.models],
    WasteCostUSD: f.wasteCostUSD,
    SavingUSDPerRun: f.savingUSDPerRun,
    RunsPerDay: f.runsPerDay,
    SavingUSDPerDay: f.savingUSDPerDay,
    SavingUSDPerMonth: f.savingUSDPerMonth,
    Confidence: f.confidence,
    DetectedBy: f.detectedBy,
    RunStart: chTime(meta.runStartMs),
    CreatedAt: chTime(meta.createdAt),
    Version: meta.version.toString(),
    IsDeleted: 0,
  };
}

/** New rows plus tombstones for live rows whose FindingId is not among them. */
export function planWrite(fresh: readonly FindingRow[], live: readonly FindingRow[], version: bigint): FindingRow[] {
  const keep = new Set(fresh.map((r) => r.FindingId));
  const tombstones = live
    .filter((r) => !keep.has(r.FindingId))
    // Times go back as read ("2026-01-02 03:04:05.123…"): ClickHouse parses its own text format.
    .map((r) => ({ ...r, Version: version.toString(), IsDeleted: 1 }));
  return [...fresh, ...tombstones];
}

/** A finding row read back as the API shape. */
export function fromFindingRow(r: FindingRow): Finding {
  let evidenceData: Record<string, unknown> = {};
  try {
    evidenceData = JSON.parse(r.EvidenceJson) as Record<string, unknown>;
  } catch {
    evidenceData = {};
  }
  return {
    findingId: r.FindingId,
    traceId: r.TraceId,
    scope: r.Scope === 'cross_run' ? 'cross_run' : 'run',
    serviceName: r.ServiceName,
    workflowName: r.WorkflowName,
    kind: r.Kind as Finding['kind'],
    subkind: r.Subkind,
    title: r.Title,
    evidence: r.Evidence,
    evidenceData,
    recommendation: r.Recommendation,
    spanIds: r.SpanIds,
    models: r.Models,
    wasteCostUSD: r.WasteCostUSD,
    standaloneSavingUSDPerRun: Number(evidenceData['standaloneSavingUSDPerRun'] ?? r.SavingUSDPerRun),
    savingUSDPerRun: r.SavingUSDPerRun,
    runsPerDay: r.RunsPerDay,
    savingUSDPerDay: r.SavingUSDPerDay,
    savingUSDPerMonth: r.SavingUSDPerMonth,
    confidence: r.Confidence,
    detectedBy: r.DetectedBy === 'judge' ? 'judge' : r.DetectedBy === 'both' ? 'both' : 'local',
  };
}
