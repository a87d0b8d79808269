import { isMissingResult, RELEASED_VERSION_STATUSES, ReportVersionStatus, ReportVersionView, ResultRowView } from '@vetlab/shared';
import { toRef } from '../protocols/protocol-views';
import { ReportVersion } from './report-version.entity';
import { ResultRow } from './result-row.entity';

/** Needs the analyte loaded. */
export const toResultRowView = (r: ResultRow): ResultRowView => ({
  id: r.id,
  analyteId: r.analyte.id,
  code: r.analyte.code,
  name: r.analyte.name,
  section: r.analyte.section,
  unit: r.analyte.unit,
  kind: r.analyte.kind,
  value: r.value,
  numericValue: r.numericValue,
  flag: r.flag,
  range: r.range,
});

/**
 * Needs the signer and invalidatedBy loaded (or null); rows in print order. `supersededByNumber`:
 * the version that replaced a superseded one, when the caller knows it.
 */
export function toReportVersionView(v: ReportVersion, rows: ResultRow[], supersededByNumber: number | null = null): ReportVersionView {
  return {
    id: v.id,
    number: v.number,
    status: v.status,
    observations: v.observations,
    signer: toRef(v.signer),
    finalizedAt: v.finalizedAt?.toISOString() ?? null,
    failureReason: v.failureReason,
    supersedesNumber: v.supersedesNumber,
    amendReason: v.amendReason,
    invalidatedAt: v.invalidatedAt?.toISOString() ?? null,
    invalidatedBy: toRef(v.invalidatedBy),
    invalidationReason: v.invalidationReason,
    supersededByNumber,
    lockVersion: v.lockVersion,
    complete: !rows.some((r) => isMissingResult(r.value)),
    createdAt: v.createdAt.toISOString(),
    rows: rows.map(toResultRowView),
  };
}

/**
 * The version that replaced each superseded one: the next released version after it (versions of
 * one report, any order). Finalizing n+1 supersedes every finalized version before it.
 */
export function supersededBy(versions: Pick<ReportVersion, 'number' | 'status'>[]): Map<number, number> {
  const released = versions.filter((v) => RELEASED_VERSION_STATUSES.includes(v.status)).map((v) => v.number).sort((a, b) => a - b);
  const out = new Map<number, number>();
  for (const v of versions) {
    if (v.status !== ReportVersionStatus.Superseded) continue;
    const next = released.find((n) => n > v.number);
    if (next != null) out.set(v.number, next);
  }
  return out;
}
