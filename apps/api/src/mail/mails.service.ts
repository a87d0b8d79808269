import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { AuditAction, canResendMail, ConflictCode, MailView, OpsBatchResult } from '@vetlab/shared';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../auth/auth-user';
import { Clinic } from '../clinics/clinic.entity';
import { conflict, notFound } from '../common/domain-error';
import { writeTransaction } from '../database/database';
import { JobQueues } from '../jobs/job-queues.service';
import { Report } from '../reports/report.entity';
import { toMailView } from './mail-views';
import { OutboxMessage, OutboxStatus } from './outbox.entity';
import { OutboxRepository } from './outbox.repository';
import { OutboxService } from './outbox.service';

/** API role: the mails of a report as staff see them, and sending them again (one mail, or a clinic's failed ones). */
@Injectable()
export class MailsService {
  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxRepository,
    private readonly queue: OutboxService,
    private readonly audit: AuditService,
    private readonly queues: JobQueues,
  ) {}

  async ofReport(reportId: string): Promise<MailView[]> {
    const em = this.em.fork();
    if (!(await em.count(Report, { id: reportId }))) throw notFound('report');
    return (await this.outbox.ofReport(em, reportId)).map(toMailView);
  }

  /**
   * A failed mail, or a pending one waiting on its retry schedule, becomes due now with a new
   * give-up window, and is queued at once. A sent mail is refused (409): it is never sent twice.
   */
  async resend(user: AuthUser, id: string): Promise<MailView> {
    const row = await this.outbox.findById(this.em.fork(), id);
    if (!row) throw notFound('mail');
    if (row.status === OutboxStatus.Sent) throw conflict(`this mail was sent on ${row.sentAt?.toISOString()}; a sent mail is not sent again`, ConflictCode.MailAlreadySent);
    if (!canResendMail(row)) throw conflict(`this mail is ${row.status} (attempts: ${row.attempts}); only failed mails or pending ones that failed an attempt are sent again`, ConflictCode.MailNotResendable);
    this.queues.assertReady(); // Redis away: 503 before the mail is made due
    const resent = await writeTransaction(this.em, (tx) => this.resendIn(tx, user, [row]));
    if (!resent.length) throw conflict('a sender took this mail meanwhile; reload it', ConflictCode.MailChanged);
    await this.queue.sendNow(id);
    return toMailView((await this.outbox.findById(this.em.fork(), id))!);
  }

  /**
   * Every failed mail of a clinic (its report mails and its bulk digests) due now again, each audited,
   * in one transaction; then queued. A mail a sender or another resend took meanwhile is left out of the count.
   */
  async resendFailedOfClinic(user: AuthUser, clinicId: string): Promise<OpsBatchResult> {
    const em = this.em.fork();
    if (!(await em.count(Clinic, { id: clinicId }))) throw notFound('clinic');
    const failed = await this.outbox.failedOfClinic(em, clinicId);
    if (!failed.length) return { count: 0 };
    this.queues.assertReady();
    const resent = await writeTransaction(this.em, (tx) => this.resendIn(tx, user, failed));
    await Promise.all(resent.map((id) => this.queue.sendNow(id)));
    return { count: resent.length };
  }

  /** The one rule of "send again": each row due now, unless a sender claimed it since it was read; one audit entry per row. Returns the ids resent. */
  private async resendIn(tx: EntityManager, user: AuthUser, rows: OutboxMessage[]): Promise<string[]> {
    const now = new Date();
    const resent: string[] = [];
    for (const row of rows) {
      if (!(await this.outbox.resend(tx, row.id, row.attempts, now))) continue;
      this.audit.record(tx, {
        actorId: user.id,
        entity: 'mail',
        entityId: row.id,
        action: AuditAction.MailResend,
        before: { status: row.status, attempts: row.attempts, lastError: row.lastError },
        after: { status: OutboxStatus.Pending },
      });
      resent.push(row.id);
    }
    await tx.flush();
    return resent;
  }
}
