import type { FindingRow } from './findings.repository.js';

export interface Finding {
  id: string;
  analysisId: string;
  traceId: string | null;
  scope: string;
  service: string;
  workflow: string;
  kind: string;
  subkind: string;
  title: string;
  evidence: string;
  evidenceData: unknown;
  recommendation: string;
  spanIds: string[];
  models: string[];
  wasteCostUsd: number;
  saving: { perRunUsd: number; perDayUsd: number; perMonthUsd: number; runsPerDay: number };
  confidence: number;
  detectedBy: string;
  createdAt: string;
}

export function toFinding(r: FindingRow): Finding {
  let evidenceData: unknown = null;
  try {
    evidenceData = r.EvidenceJson ? (JSON.parse(r.EvidenceJson) as unknown) : null;
  } catch {
    evidenceData = null;
  }
  return {
    id: r.FindingId,
    analysisId: r.AnalysisId,
    traceId: r.TraceId === '' ? null : r.TraceId,
    scope: r.Scope,
    service: r.ServiceName,
    workflow: r.WorkflowName,
    kind: r.Kind,
    subkind: r.Subkind,
    title: r.Title,
    evidence: r.Evidence,
    evidenceData,
    recommendation: r.Recommendation,
    spanIds: r.SpanIds,
    models: r.Models,
    wasteCostUsd: r.WasteCostUSD,
    saving: {
      perRunUsd: r.SavingUSDPerRun,
      perDayUsd: r.SavingUSDPerDay,
      perMonthUsd: r.SavingUSDPerMonth,
      runsPerDay: r.RunsPerDay,
    },
    confidence: r.Confidence,
    detectedBy: r.DetectedBy,
    createdAt: new Date(Number(r.createdMs)).toISOString(),
  };
}
