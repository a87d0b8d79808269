import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { JobKind } from '@vetlab/shared';
import { JobQueues } from '../jobs/job-queues.service';
import type { ExpectedJob } from '../jobs/stranded-jobs.service';
import { OutboxKind, OutboxStatus } from './outbox.entity';
import { OutboxRepository } from './outbox.repository';

export interface ReportVersionMail {
  reportId: string;
  version: number;
  recipients: (string | null | undefined)[];
}

/** Message-IDs name the version and recipient, so the same mail always carries the same id. */
export function reportMessageId(reportId: string, version: number, recipient: string): string {
  const who = createHash('sha256').update(recipient).digest('hex').slice(0, 16);
  return `<report-${reportId}-v${version}-${who}@vetlab.local>`;
}

/** The annulment notice of a version: its own id, the same on every attempt. */
export function annulmentMessageId(reportId: string, version: number, recipient: string): string {
  const who = createHash('sha256').update(recipient).digest('hex').slice(0, 16);
  return `<report-${reportId}-v${version}-void-${who}@vetlab.local>`;
}

/** Digest ids name the clinic and the run, so a digest is recognised as the same message. */
export function bulkDigestMessageId(clinicId: string, runNumber: number, recipient: string): string {
  const who = createHash('sha256').update(recipient).digest('hex').slice(0, 16);
  return `<bulk-${runNumber}-${clinicId}-${who}@vetlab.local>`;
}

/** A set-password link's mail: one per link. */
export function passwordLinkMessageId(linkId: string): string {
  return `<password-link-${linkId}@vetlab.local>`;
}

export interface BulkDigestMail {
  clinicId: string;
  runNumber: number;
  recipients: string[];
}

/**
 * Queues mails: writes their outbox rows (through the repository) and hands them to the `mail`
 * queue. The row is the truth; the Bull job (id = outbox id) only carries it to a sender.
 */
@Injectable()
export class OutboxService {
  constructor(
    private readonly em: EntityManager,
    private readonly queues: JobQueues,
    private readonly outbox: OutboxRepository,
  ) {}

  /**
   * One row per recipient of a report version, inserted or ignored on the unique key, then every
   * row not sent yet is queued. Running it again (a retried job) adds and sends nothing new.
   * Returns how many rows the version has.
   */
  queueReportVersion(em: EntityManager, mail: ReportVersionMail): Promise<number> {
    return this.queueOfVersion(em, OutboxKind.ReportVersion, mail);
  }

  /**
   * The annulment notice of a report version: one row per recipient on the same unique key
   * (kind, report, version, recipient), so the job that queues it running twice mails it once.
   */
  queueAnnulment(em: EntityManager, mail: ReportVersionMail): Promise<number> {
    return this.queueOfVersion(em, OutboxKind.ReportAnnulled, mail);
  }

  /**
   * The rows of `queueReportVersion` only, in the caller's transaction: returns how many rows the
   * version has and the ids to hand to `send` after the commit.
   */
  async insertReportVersion(em: EntityManager, mail: ReportVersionMail): Promise<{ count: number; pending: string[] }> {
    const rows = await this.insertOfVersion(em, OutboxKind.ReportVersion, mail);
    return { count: rows.length, pending: rows.filter((r) => r.status === OutboxStatus.Pending).map((r) => r.id) };
  }

  private async queueOfVersion(em: EntityManager, kind: OutboxKind, mail: ReportVersionMail): Promise<number> {
    const rows = await this.insertOfVersion(em, kind, mail);
    await this.send(rows.filter((r) => r.status === OutboxStatus.Pending).map((r) => r.id));
    return rows.length;
  }

  private async insertOfVersion(em: EntityManager, kind: OutboxKind, mail: ReportVersionMail) {
    const recipients = normalized(mail.recipients);
    const now = new Date();
    const messageId = kind === OutboxKind.ReportAnnulled ? annulmentMessageId : reportMessageId;
    await this.outbox.insertIgnoringExisting(
      em,
      recipients.map((recipient) => ({
        id: randomUUID(),
        kind,
        subjectType: 'report',
        subjectId: mail.reportId,
        version: mail.version,
        recipient,
        messageId: messageId(mail.reportId, mail.version, recipient),
        createdAt: now,
      })),
    );
    return this.outbox.ofReportVersion(em, mail.reportId, mail.version, kind);
  }

  /**
   * One digest per clinic (and address) of a bulk run, keyed by clinic and run number: inserted or
   * ignored inside the caller's transaction. Returns the ids to hand to `send` after the commit.
   */
  async insertBulkDigests(em: EntityManager, digests: BulkDigestMail[]): Promise<string[]> {
    const now = new Date();
    const rows = digests.flatMap((d) =>
      normalized(d.recipients).map((recipient) => ({
        id: randomUUID(),
        kind: OutboxKind.BulkDigest,
        subjectType: 'clinic',
        subjectId: d.clinicId,
        version: d.runNumber,
        recipient,
        messageId: bulkDigestMessageId(d.clinicId, d.runNumber, recipient),
        createdAt: now,
      })),
    );
    if (!rows.length) return [];
    await this.outbox.insertIgnoringExisting(em, rows);
    return this.outbox.pendingDigests(em, [...new Set(digests.map((d) => d.runNumber))], digests.map((d) => d.clinicId));
  }

  /**
   * A person's one-time set-password link (the subject is the link: one mail per link), inserted in
   * the caller's transaction. Returns the ids to hand to `send` after the commit.
   */
  async insertPasswordLink(em: EntityManager, linkId: string, recipient: string): Promise<string[]> {
    const to = recipient.trim().toLowerCase();
    await this.outbox.insertIgnoringExisting(em, [
      { id: randomUUID(), kind: OutboxKind.PasswordLink, subjectType: 'password_link', subjectId: linkId, version: 1, recipient: to, messageId: passwordLinkMessageId(linkId), createdAt: new Date() },
    ]);
    return (await this.outbox.ofSubject(em, OutboxKind.PasswordLink, linkId)).filter((r) => r.status === OutboxStatus.Pending).map((r) => r.id);
  }

  /** The digests of a run (by number) still to send: for a run closed before it handed them over. */
  pendingDigestsOfRun(em: EntityManager, runNumber: number): Promise<string[]> {
    return this.outbox.pendingDigests(em, [runNumber]);
  }

  /**
   * Hands outbox rows to the `mail` queue (after the commit that wrote them), in one round trip.
   * One job per row, id = outbox id: a row that is already queued is not queued again.
   */
  async send(ids: string[]): Promise<void> {
    await Promise.all(ids.map((outboxId) => this.queues.add(JobKind.SendEmail, outboxId, { outboxId })));
  }

  /**
   * Makes a row that is due now run now: its finished job (sent before, or given up) replaced by a
   * new one, a job waiting for a later retry moved ahead.
   */
  async sendNow(id: string): Promise<void> {
    const payload = { outboxId: id };
    const found = await this.queues.find(JobKind.SendEmail, id);
    if (!found) return this.queues.add(JobKind.SendEmail, id, payload);
    if (found.state === 'completed' || found.state === 'failed') return this.queues.replace(JobKind.SendEmail, id, payload);
    // Taken by a sender meanwhile: it runs anyway.
    if (found.state === 'delayed') await found.job.promote().catch(() => undefined);
  }

  /** What the stranded-job sweeper revives: every mail a sender should be working on now. */
  async expected(): Promise<ExpectedJob[]> {
    const ids = await this.outbox.due(this.em.fork(), new Date());
    return ids.map((outboxId) => ({ kind: JobKind.SendEmail, id: outboxId, payload: { outboxId } }));
  }
}

const normalized = (recipients: (string | null | undefined)[]): string[] =>
  [...new Set(recipients.map((r) => r?.trim().toLowerCase()).filter((r): r is string => !!r))];
