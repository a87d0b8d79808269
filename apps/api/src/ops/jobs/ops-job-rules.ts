import { ACTIVE_JOB_STATES, JobKind, JobState, OpsJobRow, OpsJobStage } from '@vetlab/shared';
import type { JobStageMark } from '../../jobs/job.entity';

/** Fewer finished runs of a kind than this and its p99 says nothing: the floor is the limit. */
export const MIN_SAMPLES = 20;

/** The 99th percentile (nearest rank) of some durations; null when there are none. */
export function p99(durations: readonly number[]): number | null {
  if (!durations.length) return null;
  const sorted = [...durations].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)];
}

/**
 * How long a job of a kind may be active before it shows as stuck: `factor` × the p99 of its recent
 * runs, never less than `minMs`; just `minMs` while there are too few runs to tell.
 */
export function stuckLimit(durations: readonly number[], factor: number, minMs: number): number {
  const p = durations.length >= MIN_SAMPLES ? p99(durations) : null;
  return p == null ? minMs : Math.max(minMs, Math.ceil(factor * p));
}

/** Each stage with its length: until the next one began, the last until the job finished (null while it runs). */
export function stagesView(marks: readonly JobStageMark[] | null, finishedAt: Date | null): OpsJobStage[] {
  const list = marks ?? [];
  return list.map((m, i) => {
    const end = i + 1 < list.length ? Date.parse(list[i + 1].at) : finishedAt?.getTime();
    return { stage: m.stage, at: m.at, ms: end == null ? null : Math.max(0, end - Date.parse(m.at)) };
  });
}

export interface ActionFacts {
  kind: JobKind;
  state: JobState;
  /** Bull's state; undefined when Redis could not be asked (nothing that needs it is offered). */
  bullState: string | null | undefined;
  stuck: boolean;
}

/** What an admin may do with a job now (the routes re-check each under their own conditions). */
export function actionsFor(f: ActionFacts): OpsJobRow['actions'] {
  const out: OpsJobRow['actions'] = [];
  if (f.state === JobState.Failed && f.kind !== JobKind.SendEmail) out.push('retry');
  if (f.state === JobState.Failed || f.state === JobState.Retrying) out.push('discard');
  if (f.bullState === 'delayed') out.push('promote');
  if (f.stuck && ACTIVE_JOB_STATES.includes(f.state)) out.push('hand_back');
  return out;
}

/** What names a subject: its protocol's code and id, or a bulk run's number and who started it. */
export interface SubjectFacts {
  protocolId?: string;
  code?: string;
  bulkNumber?: number;
  bulkBy?: string | null;
}

/** A job's subject in the lab's words (Spanish, like the rest of the SPA's data) and the SPA path to it. */
export function labelOf(kind: JobKind, subjectId: string, facts: SubjectFacts | undefined, version: number | null): { label: string; link: string | null } {
  const v = version != null ? ` v${version}` : '';
  const code = facts?.code ?? 'protocolo desconocido';
  const protocolLink = facts?.protocolId ? `/protocols/${facts.protocolId}` : null;
  switch (kind) {
    case JobKind.FinalizeReport:
      return { label: `Informe de ${code}${v}`, link: protocolLink };
    case JobKind.ReportPdf:
      return { label: `PDF del informe ${code}${v}`, link: protocolLink };
    case JobKind.WorkOrderPdf:
      return { label: `Orden de trabajo ${code}${v}`, link: protocolLink };
    case JobKind.BulkProtocols: {
      const number = facts?.bulkNumber != null ? `#${facts.bulkNumber}` : subjectId.slice(0, 8);
      return { label: `Lote ${number}${facts?.bulkBy ? ` de ${facts.bulkBy}` : ''}`, link: `/bulk/${subjectId}` };
    }
    default:
      return { label: `Correo ${subjectId.slice(0, 8)}`, link: null };
  }
}
