import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { AuditAction, canResendMail, ConflictCode, MailView } from '@vetlab/shared';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../auth/auth-user';
import { conflict, notFound } from '../common/domain-error';
import { writeTransaction } from '../database/database';
import { Report } from '../reports/report.entity';
import { OutboxMessage, OutboxStatus } from './outbox.entity';
import { OutboxRepository } from './outbox.repository';
import { OutboxService } from './outbox.service';

/** API role: the mails of a report as staff see them, and sending one again. */
@Injectable()
export class MailsService {
  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxRepository,
    private readonly queue: OutboxService,
    private readonly audit: AuditService,
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
    const resent = await writeTransaction(this.em, async (tx) => {
      if (!(await this.outbox.resend(tx, id, row.attempts, new Date()))) return false;
      this.audit.record(tx, {
        actorId: user.id,
        entity: 'mail',
        entityId: id,
        action: AuditAction.MailResend,
        before: { status: row.status, attempts: row.attempts, lastError: row.lastError },
        after: { status: OutboxStatus.Pending },
      });
      await tx.flush();
      return true;
    });
    if (!resent) throw conflict('a sender took this mail meanwhile; reload it', ConflictCode.MailChanged);
    await this.queue.sendNow(id);
    return toMailView((await this.outbox.findById(this.em.fork(), id))!);
  }
}

function toMailView(m: OutboxMessage): MailView {
  const open = m.status === OutboxStatus.Pending || m.status === OutboxStatus.Sending;
  return {
    id: m.id,
    version: m.version,
    recipient: m.recipient,
    status: m.status,
    attempts: m.attempts,
    lastError: m.lastError,
    sentAt: m.sentAt?.toISOString() ?? null,
    nextAttemptAt: open ? (m.leaseUntil ?? m.nextAttemptAt).toISOString() : null,
    createdAt: m.createdAt.toISOString(),
  };
}
