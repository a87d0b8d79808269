import { EntityManager, FilterQuery } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import type { ReportLanguage } from '@vetlab/shared';
import { executeUpdate, insertValues, readDate, readInt, selectRows } from '../database/database';
import { OutboxKind, OutboxMessage, OutboxStatus } from './outbox.entity';

/** A row to insert; the rest of its columns start as a new mail's (pending, due now). */
export type NewOutboxRow = Pick<OutboxMessage, 'id' | 'kind' | 'subjectType' | 'subjectId' | 'version' | 'recipient' | 'messageId' | 'createdAt'>;

/** Filters of the mail log (all optional; together they narrow). */
export interface MailLogFilter {
  clinicId?: string;
  status?: OutboxStatus;
  reportId?: string;
}

/** A mail of the log with what names it: its protocol (report mails), its clinic, its bulk run (digests). */
export interface MailLogRow {
  mail: OutboxMessage;
  protocol: { id: string; code: string } | null;
  clinic: { id: string; name: string } | null;
  bulkRunId: string | null;
}

/**
 * The mail log's FROM: a report mail's subject is a report (→ protocol → clinic); a digest's subject
 * is the clinic itself and its version the bulk run's number. Bound: the two kinds.
 */
const LOG_FROM = `from outbox o
  left join reports r on o.kind in (?, ?) and r.id = o.subject_id
  left join protocols p on p.id = r.protocol_id`;
const LOG_FROM_PARAMS = [OutboxKind.ReportVersion, OutboxKind.ReportAnnulled];

/** The filters as a WHERE over LOG_FROM: a clinic's mails are its report mails and its digests. */
function logWhere(f: MailLogFilter): { sql: string; params: unknown[] } {
  const conditions: [string, unknown[]][] = [];
  if (f.status) conditions.push(['o.status = ?', [f.status]]);
  if (f.reportId) conditions.push(['o.kind in (?, ?) and o.subject_id = ?', [...LOG_FROM_PARAMS, f.reportId]]);
  if (f.clinicId) conditions.push(['(p.clinic_id = ? or (o.kind = ? and o.subject_id = ?))', [f.clinicId, OutboxKind.BulkDigest, f.clinicId]]);
  return {
    sql: conditions.length ? ` where ${conditions.map(([c]) => c).join(' and ')}` : '',
    params: conditions.flatMap(([, p]) => p),
  };
}

/** The attempt a sender holds: the row's `attempts` after its claim (every later write is conditional on it). */
/** A report version as its mails describe it (OutboxRepository.mailVersion). */
export interface MailVersion {
  number: number;
  pdfKey: string | null;
  voidPdfKey: string | null;
  supersedesNumber: number | null;
  verificationCode: string | null;
  invalidatedAt: Date | null;
  invalidationReason: string | null;
  protocolCode: string;
  animalName: string;
  reportLanguage: ReportLanguage;
}

export interface Claim {
  id: string;
  attempt: number;
}

/**
 * The one writer of the `outbox` table, and its one reader. The rules (what is due, how long to
 * wait, when to give up) are the services'; this class says them in SQL.
 */
@Injectable()
export class OutboxRepository {
  /** Inserts the rows; a row whose (kind, subject, version, recipient) is already there is ignored. */
  async insertIgnoringExisting(em: EntityManager, rows: NewOutboxRow[]): Promise<void> {
    if (!rows.length) return;
    // Plain SQL: every finalize inserts its mails in its status transaction.
    const date = (d: Date) => em.getPlatform().processDateProperty(d);
    await insertValues(
      em,
      'outbox',
      ['id', 'kind', 'subject_type', 'subject_id', 'version', 'recipient', 'message_id', 'status', 'attempts', 'next_attempt_at', 'created_at'],
      rows.map((r) => [r.id, r.kind, r.subjectType, r.subjectId, r.version, r.recipient, r.messageId, OutboxStatus.Pending, 0, date(r.createdAt), date(r.createdAt)]),
      { onConflict: '(kind, subject_id, version, recipient) do nothing' },
    );
  }

  /** Ids and statuses of a report version's mails (of one kind: the PDF, or the annulment notice). */
  ofReportVersion(em: EntityManager, reportId: string, version: number, kind: OutboxKind = OutboxKind.ReportVersion): Promise<Pick<OutboxMessage, 'id' | 'status'>[]> {
    // Plain rows: every finalize job reads them in its status transaction.
    return selectRows(em, 'select id, status from outbox where kind = ? and subject_id = ? and version = ?', [kind, reportId, version]);
  }

  /** Ids of the pending digests of these clinics in these runs (by run number). */
  async pendingDigests(em: EntityManager, runNumbers: number[], clinicIds?: string[]): Promise<string[]> {
    const where: FilterQuery<OutboxMessage> = { kind: OutboxKind.BulkDigest, version: { $in: runNumbers }, status: OutboxStatus.Pending };
    if (clinicIds) where.subjectId = { $in: clinicIds };
    return (await em.find(OutboxMessage, where, { fields: ['id'] })).map((r) => r.id);
  }

  /** Ids and statuses of the mails of one subject of a kind (a password link's mail). */
  ofSubject(em: EntityManager, kind: OutboxKind, subjectId: string): Promise<Pick<OutboxMessage, 'id' | 'status'>[]> {
    return em.find(OutboxMessage, { kind, subjectId }, { fields: ['id', 'status'] });
  }

  findById(em: EntityManager, id: string): Promise<OutboxMessage | null> {
    return em.findOne(OutboxMessage, { id });
  }

  /**
   * The row as a sender reads it before its claim: plain SQL and a plain object, not an entity
   * (every mail passes here, and a managed entity costs the sender more CPU than the query).
   */
  async forSend(em: EntityManager, id: string): Promise<OutboxMessage | null> {
    const [r] = await selectRows<Record<string, unknown>>(
      em,
      `select id, kind, subject_type, subject_id, version, recipient, message_id, status, attempts, next_attempt_at, lease_until, resent_at,
              last_error, sent_at, server_response, created_at
         from outbox where id = ?`,
      [id],
    );
    if (!r) return null;
    return {
      id: r.id as string,
      kind: r.kind as OutboxKind,
      subjectType: r.subject_type as string,
      subjectId: r.subject_id as string,
      version: Number(r.version),
      recipient: r.recipient as string,
      messageId: r.message_id as string,
      status: r.status as OutboxStatus,
      attempts: Number(r.attempts),
      nextAttemptAt: readDate(em, r.next_attempt_at)!,
      leaseUntil: readDate(em, r.lease_until),
      resentAt: readDate(em, r.resent_at),
      lastError: (r.last_error as string | null) ?? null,
      sentAt: readDate(em, r.sent_at),
      serverResponse: (r.server_response as string | null) ?? null,
      createdAt: readDate(em, r.created_at)!,
    };
  }

  /** Every mail of a report, newest version first, then by recipient. */
  ofReport(em: EntityManager, reportId: string): Promise<OutboxMessage[]> {
    return em.find(
      OutboxMessage,
      { kind: { $in: [OutboxKind.ReportVersion, OutboxKind.ReportAnnulled] }, subjectId: reportId },
      { orderBy: { version: 'desc', recipient: 'asc' } },
    );
  }

  /**
   * One page of the mail log, newest first, with the names of what each mail is about: one count,
   * one joined page query and one load of the page's rows, whatever the page size.
   */
  async logPage(em: EntityManager, f: MailLogFilter, limit: number, offset: number): Promise<{ total: number; rows: MailLogRow[] }> {
    const where = logWhere(f);
    const [{ n }] = await selectRows<{ n: number | string }>(em, `select count(*) as n ${LOG_FROM}${where.sql}`, [...LOG_FROM_PARAMS, ...where.params]);
    const found = await selectRows<{ id: string; protocol_id: string | null; protocol_code: string | null; clinic_id: string | null; clinic_name: string | null; bulk_run_id: string | null }>(
      em,
      `select o.id, p.id as protocol_id, p.code as protocol_code, coalesce(pc.id, dc.id) as clinic_id, coalesce(pc.name, dc.name) as clinic_name, b.id as bulk_run_id
         ${LOG_FROM}
         left join clinics pc on pc.id = p.clinic_id
         left join clinics dc on o.kind = ? and dc.id = o.subject_id
         left join bulk_runs b on o.kind = ? and b.number = o.version
        ${where.sql}
        order by o.created_at desc, o.id desc limit ? offset ?`,
      [...LOG_FROM_PARAMS, OutboxKind.BulkDigest, OutboxKind.BulkDigest, ...where.params, limit, offset],
    );
    const mails = await this.byIds(em, found.map((r) => r.id));
    const rows = found.flatMap((r): MailLogRow[] => {
      const mail = mails.get(String(r.id).toLowerCase());
      if (!mail) return [];
      return [
        {
          mail,
          protocol: r.protocol_id ? { id: String(r.protocol_id), code: String(r.protocol_code) } : null,
          clinic: r.clinic_id ? { id: String(r.clinic_id), name: String(r.clinic_name) } : null,
          bulkRunId: r.bulk_run_id ? String(r.bulk_run_id) : null,
        },
      ];
    });
    return { total: Number(n), rows };
  }

  /** Every failed mail of a clinic: its report mails (through their protocols) and its bulk digests. */
  async failedOfClinic(em: EntityManager, clinicId: string): Promise<OutboxMessage[]> {
    const where = logWhere({ clinicId, status: OutboxStatus.Failed });
    const found = await selectRows<{ id: string }>(em, `select o.id ${LOG_FROM}${where.sql} order by o.created_at, o.id`, [...LOG_FROM_PARAMS, ...where.params]);
    const mails = await this.byIds(em, found.map((r) => r.id));
    return found.map((r) => mails.get(String(r.id).toLowerCase())).filter((m): m is OutboxMessage => !!m);
  }

  /**
   * `pending → sending` (or a `sending` row whose lease ran out → `sending` again), only if nobody
   * claimed it since `seenAttempts` was read: one conditional UPDATE, so of two senders one wins.
   */
  async claim(em: EntityManager, id: string, seenAttempts: number, now: Date, leaseUntil: Date): Promise<Claim | null> {
    const attempt = seenAttempts + 1;
    const at = (d: Date) => em.getPlatform().processDateProperty(d);
    // Plain SQL with bound values: every mail passes here (the query builder costs the sender more CPU than the statement).
    const n = await executeUpdate(
      em,
      `update outbox set status = ?, attempts = ?, lease_until = ?
        where id = ? and attempts = ? and ((status = ? and next_attempt_at <= ?) or (status = ? and lease_until < ?))`,
      [OutboxStatus.Sending, attempt, at(leaseUntil), id, seenAttempts, OutboxStatus.Pending, at(now), OutboxStatus.Sending, at(now)],
    );
    return n === 1 ? { id, attempt } : null;
  }

  /** The outcome of a claimed attempt; ignored when the claim was taken over meanwhile. Returns whether it was recorded. */
  async markSent(em: EntityManager, c: Claim, at: Date, serverResponse: string): Promise<boolean> {
    const n = await executeUpdate(
      em,
      'update outbox set status = ?, sent_at = ?, server_response = ?, last_error = null, lease_until = null where id = ? and status = ? and attempts = ?',
      [OutboxStatus.Sent, em.getPlatform().processDateProperty(at), serverResponse, c.id, OutboxStatus.Sending, c.attempt],
    );
    return n === 1;
  }

  /** The claimed attempt's lease, held on (a live sender's heartbeat); false when the claim was taken over. */
  async renewLease(em: EntityManager, c: Claim, leaseUntil: Date): Promise<boolean> {
    const n = await executeUpdate(em, 'update outbox set lease_until = ? where id = ? and status = ? and attempts = ?', [
      em.getPlatform().processDateProperty(leaseUntil),
      c.id,
      OutboxStatus.Sending,
      c.attempt,
    ]);
    return n === 1;
  }

  async markRetry(em: EntityManager, c: Claim, nextAttemptAt: Date, error: string): Promise<boolean> {
    return this.settle(em, c, { status: OutboxStatus.Pending, nextAttemptAt, lastError: error, leaseUntil: null });
  }

  async markFailed(em: EntityManager, c: Claim, error: string): Promise<boolean> {
    return this.settle(em, c, { status: OutboxStatus.Failed, lastError: error, leaseUntil: null });
  }

  /**
   * A failed or pending mail is due now again, its give-up window restarting now; only if no sender
   * claimed it since `seenAttempts` was read. Returns whether it was.
   */
  async resend(em: EntityManager, id: string, seenAttempts: number, now: Date): Promise<boolean> {
    const n = await em.nativeUpdate(
      OutboxMessage,
      { id, attempts: seenAttempts, status: { $in: [OutboxStatus.Failed, OutboxStatus.Pending] } },
      { status: OutboxStatus.Pending, nextAttemptAt: now, resentAt: now, leaseUntil: null },
    );
    return n === 1;
  }

  /** Mails a sender should be working on now: pending and due, or claimed by a sender whose lease ran out. */
  async due(em: EntityManager, now: Date): Promise<string[]> {
    const rows = await em.find(
      OutboxMessage,
      {
        $or: [
          { status: OutboxStatus.Pending, nextAttemptAt: { $lte: now } },
          { status: OutboxStatus.Sending, leaseUntil: { $lt: now } },
        ],
      },
      { fields: ['id'] },
    );
    return rows.map((r) => r.id);
  }

  private async byIds(em: EntityManager, ids: string[]): Promise<Map<string, OutboxMessage>> {
    if (!ids.length) return new Map();
    const rows = await em.find(OutboxMessage, { id: { $in: ids } });
    return new Map(rows.map((m) => [m.id.toLowerCase(), m]));
  }

  /**
   * What a report version's mail says: the version, its files and its protocol and clinic, in one
   * query (every report mail reads it; entities for four tables cost the sender more than the query).
   */
  async mailVersion(em: EntityManager, reportId: string, number: number): Promise<MailVersion | null> {
    const [row] = await selectRows<Record<string, unknown>>(
      em,
      `select v.number, v.pdf_key, v.void_pdf_key, v.supersedes_number, v.verification_code, v.invalidated_at, v.invalidation_reason,
              p.code as protocol_code, p.animal_name, c.report_language
         from report_versions v join reports r on r.id = v.report_id join protocols p on p.id = r.protocol_id join clinics c on c.id = p.clinic_id
        where v.report_id = ? and v.number = ?`,
      [reportId, number],
    );
    if (!row) return null;
    return {
      number: Number(row.number),
      pdfKey: (row.pdf_key as string | null) ?? null,
      voidPdfKey: (row.void_pdf_key as string | null) ?? null,
      supersedesNumber: readInt(row.supersedes_number),
      verificationCode: (row.verification_code as string | null) ?? null,
      invalidatedAt: readDate(em, row.invalidated_at),
      invalidationReason: (row.invalidation_reason as string | null) ?? null,
      protocolCode: row.protocol_code as string,
      animalName: row.animal_name as string,
      reportLanguage: row.report_language as ReportLanguage,
    };
  }

  private async settle(em: EntityManager, c: Claim, changes: Partial<OutboxMessage>): Promise<boolean> {
    return (await em.nativeUpdate(OutboxMessage, { id: c.id, status: OutboxStatus.Sending, attempts: c.attempt }, changes)) === 1;
  }
}
