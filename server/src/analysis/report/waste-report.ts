import type { Finding } from '../analysis.types.js';
import { usd } from '../findings/format.js';

/**
 * The terminal waste report (`kaizen report --since 24h`): totals by kind and the biggest findings,
 * from the live findings the repository returns. Plain text; the CLI adds colour if it wants.
 */
export interface WasteReport {
  readonly since: Date;
  readonly findings: number;
  readonly savingUSDPerDay: number;
  readonly savingUSDPerMonth: number;
  readonly byKind: readonly { kind: string; findings: number; savingUSDPerDay: number; savingUSDPerMonth: number }[];
  readonly top: readonly Finding[];
  /** The report as lines of text. */
  readonly lines: readonly string[];
}

export function buildWasteReport(findings: readonly Finding[], since: Date, topN = 10): WasteReport {
  const kinds = new Map<string, { findings: number; perDay: number }>();
  for (const f of findings) {
    const k = f.subkind !== '' ? `${f.kind}/${f.subkind}` : f.kind;
    const cur = kinds.get(k) ?? { findings: 0, perDay: 0 };
    cur.findings++;
    cur.perDay += f.savingUSDPerDay;
    kinds.set(k, cur);
  }
  const byKind = [...kinds.entries()]
    .map(([kind, v]) => ({ kind, findings: v.findings, savingUSDPerDay: v.perDay, savingUSDPerMonth: v.perDay * 30 }))
    .sort((a, b) => b.savingUSDPerDay - a.savingUSDPerDay);
  const perDay = byKind.reduce((s, k) => s + k.savingUSDPerDay, 0);
  const top = [...findings].sort((a, b) => b.savingUSDPerMonth - a.savingUSDPerMonth).slice(0, topN);
  const lines: string[] = [
    `Waste since ${since.toISOString()}: ${findings.length} finding(s), ${usd(perDay)}/day, ${usd(perDay * 30)}/month`,
    '',
    ...byKind.map(
      (k) => `  ${k.kind.padEnd(32)} ${String(k.findings).padStart(5)}  ${usd(k.savingUSDPerDay).padStart(10)}/day`,
    ),
  ];
  if (top.length > 0) {
    lines.push('', 'Biggest findings:');
    for (const f of top) {
      const where = f.traceId !== '' ? `trace ${f.traceId}` : `${f.serviceName}/${f.workflowName} (across runs)`;
      lines.push(
        `  ${usd(f.savingUSDPerMonth).padStart(10)}/month  ${f.title}  [${where}, ${f.detectedBy}, confidence ${f.confidence}]`,
      );
      lines.push(`      fix: ${f.recommendation}`);
    }
  }
  return {
    since,
    findings: findings.length,
    savingUSDPerDay: perDay,
    savingUSDPerMonth: perDay * 30,
    byKind,
    top,
    lines,
  };
}
