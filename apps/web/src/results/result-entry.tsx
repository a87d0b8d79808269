import type { ProtocolDetail, ReportView } from '@vetlab/shared';

/** Placeholder: result entry for the current draft of a report. */
export function ResultEntry(_props: { report: ReportView; protocol: ProtocolDetail }) {
  return null;
}
