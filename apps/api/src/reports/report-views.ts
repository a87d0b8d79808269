import { isMissingResult, ReportVersionView, ResultRowView } from '@vetlab/shared';
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

/** Needs the signer loaded (or null); rows in print order. */
export function toReportVersionView(v: ReportVersion, rows: ResultRow[]): ReportVersionView {
  return {
    id: v.id,
    number: v.number,
    status: v.status,
    observations: v.observations,
    signer: toRef(v.signer),
    finalizedAt: v.finalizedAt?.toISOString() ?? null,
    failureReason: v.failureReason,
    supersedesNumber: v.supersedesNumber,
    lockVersion: v.lockVersion,
    complete: !rows.some((r) => isMissingResult(r.value)),
    createdAt: v.createdAt.toISOString(),
    rows: rows.map(toResultRowView),
  };
}
