import { BulkItemStatus, BulkItemView, BulkRunState, BulkRunView, isBulkRunOver } from '@vetlab/shared';
import { doneOf, etaSeconds } from './bulk-progress';
import { BulkRun } from './bulk-run.entity';

export const ACTIVE_RUN_STATES: BulkRunState[] = ['queued', 'running'];

export function toBulkRunView(r: BulkRun, creatorName: string | null, now = Date.now()): BulkRunView {
  const done = doneOf(r);
  return {
    id: r.id,
    jobId: r.jobId,
    action: r.action,
    target: r.target,
    reason: r.reason,
    state: r.state,
    total: r.total,
    succeeded: r.succeeded,
    skipped: r.skipped,
    failed: r.failed,
    cancelled: r.cancelled,
    done,
    etaSeconds: isBulkRunOver(r.state) ? null : etaSeconds(done, r.total, r.startedAt, now),
    cancelRequested: r.cancelRequested,
    retryOf: r.retryOf,
    createdBy: r.createdById ? { id: r.createdById, name: creatorName ?? '(deleted user)' } : null,
    createdAt: r.createdAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

/** A ledger row as the SQL of the items page returns it (snake_case, dates as the driver gives them). */
export interface BulkItemRow {
  protocol_id: string;
  code: string | null;
  animal_name: string | null;
  status: BulkItemStatus;
  reason: string | null;
  attempts: number;
  processed_at: Date | string | number | null;
}

export function toBulkItemView(row: BulkItemRow): BulkItemView {
  return {
    protocolId: row.protocol_id,
    code: row.code,
    animalName: row.animal_name,
    status: row.status,
    reason: row.reason,
    attempts: Number(row.attempts),
    processedAt: row.processed_at == null ? null : new Date(typeof row.processed_at === 'string' && /^\d+$/.test(row.processed_at) ? Number(row.processed_at) : row.processed_at).toISOString(),
  };
}

const CSV_COLUMNS = ['protocol_id', 'code', 'animal_name', 'status', 'reason', 'attempts', 'processed_at'] as const;

/** RFC 4180: quote a field that holds a comma, quote or line break; a leading = + - @ is defused for spreadsheets. */
export function csvField(value: unknown): string {
  let s = value == null ? '' : String(value);
  if (/^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvLine(v: BulkItemView): string {
  return `${[v.protocolId, v.code, v.animalName, v.status, v.reason, v.attempts, v.processedAt].map(csvField).join(',')}\r\n`;
}
