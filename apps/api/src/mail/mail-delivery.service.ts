import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { MailJobResult } from '@vetlab/shared';
import type { SendMailOptions } from 'nodemailer';
import { buffer } from 'node:stream/consumers';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { withBusyRetry } from '../database/database';
import { PermanentJobError } from '../jobs/permanent-job-error';
import { LAB_LETTERHEAD } from '../reports/finalize/lab-letterhead';
import { FILE_STORAGE, FileStorage } from '../storage/file-storage';
import { OutboxKind, OutboxMessage, OutboxStatus } from './outbox.entity';
import { Claim, MailVersion, OutboxRepository } from './outbox.repository';
import { MailTransportService } from './mail-transport.service';
import { giveUpAt, MailRetryLater, retryDelayMs } from './mail-schedule';
import { reportMail } from './report-mail';
import { annulmentMail } from './annulment-mail';
import { composeBulkDigest } from '../bulk/bulk-digest-mail';
import { BulkLedgerRepository } from '../bulk/bulk-ledger.repository';
import { PasswordLinksRepository } from '../passwords/password-links.repository';
import { passwordLinkToken } from '../passwords/password-link-token';
import { passwordLinkMail, personLanguage } from './password-link-mail';
import { Metrics } from '../metrics/metrics.service';

const MAX_ERROR = 1000;

/**
 * Sends one outbox row. Only the sender that claimed it (`pending → sending`, with a lease) sends;
 * a row already sent or failed is skipped, so a re-delivered job mails nothing. A transient failure
 * puts it back to `pending` on the retry schedule until its give-up time; a 5xx fails it at once.
 * Each write (claim, renewal, outcome) is one conditional UPDATE, atomic on its own: no transaction
 * is opened around it.
 */
@Injectable()
export class MailDeliveryService {
  private readonly log = new Logger(MailDeliveryService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxRepository,
    private readonly transport: MailTransportService,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ledger: BulkLedgerRepository,
    private readonly passwordLinks: PasswordLinksRepository,
    private readonly metrics: Metrics,
  ) {}

  async deliver(outboxId: string): Promise<MailJobResult> {
    // A fork: its plain statements run on their own, never in a transaction the caller's context holds.
    const em = this.em.fork();
    const row = await this.outbox.forSend(em, outboxId);
    if (!row) throw new PermanentJobError(`outbox message ${outboxId} no longer exists`);
    if (row.status === OutboxStatus.Sent || row.status === OutboxStatus.Failed) return { outboxId, sent: false };
    const now = new Date();
    this.waitIfNotClaimable(row, now);
    const lease = { until: new Date(now.getTime() + this.config.mail.leaseMs) };
    const claim = await withBusyRetry(() => this.outbox.claim(em, row.id, row.attempts, now, lease.until));
    // Another sender took it between the read and the claim: look again once it should be done.
    if (!claim) throw new MailRetryLater(`mail ${row.id} was claimed by another sender`, this.config.mail.retryMinMs);
    let response: string;
    try {
      // Its own fork: composing reads entities that have nothing to do with the outbox row.
      const message = await this.compose(this.em.fork(), row);
      // The claim, renewed right before the message goes: a sender that lost it (composing or
      // starved of CPU past its lease) leaves the mail to the sender that holds it now. Claimed
      // moments ago (less than a third of its lease), nobody else can hold it yet: another sender
      // claims only once the lease has run out, so the write is spared (the beat renews it later).
      if (Date.now() - now.getTime() >= this.config.mail.leaseMs / 3 && !(await this.renew(claim, lease))) {
        this.log.warn(`mail ${row.id} was taken over by another sender before it went; this one does not send it`);
        return { outboxId, sent: false };
      }
      response = await this.whileHeld(claim, lease, () => this.transport.send(row.id, message));
    } catch (e) {
      return this.failed(row, claim, e);
    }
    const recorded = await this.recordSent(claim, lease.until, response.slice(0, MAX_ERROR));
    // Its lease ran out mid-send and another sender claimed it: the recipient may get it twice (same Message-ID).
    if (!recorded) this.log.warn(`mail ${row.id} was sent after its claim had been taken over`);
    this.metrics.mail('sent');
    return { outboxId, sent: true };
  }

  /** Pushes the claim's lease a full MAIL_LEASE_MS ahead; false when another sender claimed the mail meanwhile. */
  private async renew(claim: Claim, lease: { until: Date }): Promise<boolean> {
    const until = new Date(Date.now() + this.config.mail.leaseMs);
    if (!(await withBusyRetry(() => this.outbox.renewLease(this.em.fork(), claim, until)))) return false;
    lease.until = until;
    return true;
  }

  /**
   * Runs the send with the lease renewed every third of MAIL_LEASE_MS: the lease is taken over when
   * its sender died (or froze past it), not because a slow server or a starved process made the
   * send outlast it. A renewal that fails is tried again at the next beat.
   */
  private async whileHeld<T>(claim: Claim, lease: { until: Date }, send: () => Promise<T>): Promise<T> {
    const beat = setInterval(
      () => void this.renew(claim, lease).catch((e) => this.log.warn(`mail ${claim.id}: renewing its lease failed: ${(e as Error)?.message ?? e}`)),
      Math.max(50, Math.floor(this.config.mail.leaseMs / 3)),
    );
    try {
      return await send();
    } finally {
      clearInterval(beat);
    }
  }

  /**
   * Records a mail the server accepted. A failed write (SQLite busy past its bound, the database
   * away for a moment) is tried again while the claim's lease holds: thrown, the row would stay
   * `sending` and the next sender would mail it again once the lease ran out. Safe to repeat: the
   * write is fenced by the claim. Returns false when the claim was taken over meanwhile.
   */
  private async recordSent(claim: Claim, leaseUntil: Date, response: string): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await withBusyRetry(() => this.outbox.markSent(this.em.fork(), claim, new Date(), response));
      } catch (e) {
        const wait = Math.min(this.config.mail.retryMinMs, 100 * attempt);
        if (Date.now() + wait >= leaseUntil.getTime()) {
          this.log.error(`mail ${claim.id} was sent but could not be recorded before its lease ran out; the next sender mails it again: ${(e as Error)?.message ?? e}`);
          throw e;
        }
        this.log.warn(`mail ${claim.id} was sent; recording it failed (attempt ${attempt}), trying again: ${(e as Error)?.message ?? e}`);
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  /** Pending but not due yet, or claimed by a sender whose lease still holds: the job waits. */
  private waitIfNotClaimable(row: OutboxMessage, now: Date) {
    const until = row.status === OutboxStatus.Sending ? row.leaseUntil : row.nextAttemptAt;
    const wait = (until?.getTime() ?? 0) - now.getTime();
    if (row.status === OutboxStatus.Sending ? wait < 0 : wait <= 0) return;
    const why = row.status === OutboxStatus.Sending ? 'is being sent by another sender' : 'is not due yet';
    // A live sender settles it long before its lease ends: look again after the shortest retry.
    throw new MailRetryLater(`mail ${row.id} ${why}`, Math.max(1, Math.min(wait, this.config.mail.retryMinMs)));
  }

  private async failed(row: OutboxMessage, claim: Claim, e: unknown): Promise<never> {
    const error = ((e as Error)?.message ?? String(e)).slice(0, MAX_ERROR);
    const now = Date.now();
    const deadline = giveUpAt(row, this.config.mail).getTime();
    if (e instanceof PermanentJobError || isPermanentSmtpError(e) || now >= deadline) {
      await withBusyRetry(() => this.outbox.markFailed(this.em.fork(), claim, error));
      this.log.warn(`mail ${row.id} to ${row.recipient} failed for good (attempt ${claim.attempt}): ${error}`);
      this.metrics.mail('failed');
      throw e instanceof PermanentJobError ? e : new PermanentJobError(error);
    }
    const next = Math.min(now + retryDelayMs(claim.attempt, this.config.mail), deadline);
    await withBusyRetry(() => this.outbox.markRetry(this.em.fork(), claim, new Date(next), error));
    this.log.warn(`mail ${row.id} to ${row.recipient} failed (attempt ${claim.attempt}), next attempt in ${next - now} ms: ${error}`);
    this.metrics.mail('retried');
    throw new MailRetryLater(error, next - now);
  }

  private async compose(em: EntityManager, row: OutboxMessage): Promise<SendMailOptions> {
    if (row.kind === OutboxKind.BulkDigest) return composeBulkDigest(em, this.ledger, row, this.config.mail.from, LAB_LETTERHEAD.name);
    if (row.kind === OutboxKind.PasswordLink) return this.composePasswordLink(em, row);
    if (row.kind !== OutboxKind.ReportVersion && row.kind !== OutboxKind.ReportAnnulled) throw new PermanentJobError(`unknown outbox kind ${row.kind}`);
    const version = await this.outbox.mailVersion(em, row.subjectId, row.version);
    if (!version) throw new PermanentJobError(`report ${row.subjectId} has no version ${row.version}`);
    if (row.kind === OutboxKind.ReportVersion) {
      const base = await this.reportMailBase(row, version, version.pdfKey, 'PDF');
      return reportMail({ ...base, supersedesVersion: version.supersedesNumber, verificationCode: version.verificationCode });
    }
    // An annulment notice carries the stamped PDF only, never the original's bytes.
    if (!version.invalidatedAt || !version.invalidationReason) throw new PermanentJobError(`version ${row.version} of report ${row.subjectId} is not annulled`);
    const base = await this.reportMailBase(row, version, version.voidPdfKey, 'annulled PDF');
    return annulmentMail({ ...base, annulledAt: version.invalidatedAt, reason: version.invalidationReason });
  }

  /**
   * A set-password link: its token derived again here (never stored), the person's language. A
   * link spent, replaced by a newer one or expired before its mail went is not worth sending.
   */
  private async composePasswordLink(em: EntityManager, row: OutboxMessage): Promise<SendMailOptions> {
    const link = await this.passwordLinks.findById(em, row.subjectId);
    if (!link) throw new PermanentJobError(`password link ${row.subjectId} no longer exists`);
    if (link.usedAt || link.expiresAt.getTime() <= Date.now()) throw new PermanentJobError(`password link ${link.id} was used, replaced or expired before its mail went`);
    const token = passwordLinkToken(this.config.auth.jwtSecret, link.id);
    return passwordLinkMail({
      from: this.config.mail.from,
      to: row.recipient,
      messageId: row.messageId,
      language: personLanguage(link.user),
      name: link.user.name,
      url: `${this.config.publicUrl}/password/${token}`,
      expiresAt: link.expiresAt,
      labName: LAB_LETTERHEAD.name,
    });
  }

  /** What every mail about a report version says and carries (the stored file under `key`). */
  private async reportMailBase(row: OutboxMessage, version: MailVersion, key: string | null, what: string) {
    // Transient: the file may be rendered again (a lost file); the retry finds it.
    const file = key ? await this.storage.open(key) : null;
    if (!file) throw new Error(`the ${what} of report version ${row.version} is not stored`);
    return {
      from: this.config.mail.from,
      to: row.recipient,
      messageId: row.messageId,
      language: version.reportLanguage,
      protocolCode: version.protocolCode,
      animalName: version.animalName,
      version: version.number,
      labName: LAB_LETTERHEAD.name,
      pdf: await buffer(file.stream),
    };
  }
}

/** A 5xx reply (mailbox unknown, message refused) will not change on a retry; 4xx may. */
function isPermanentSmtpError(e: unknown): boolean {
  const code = (e as { responseCode?: number })?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}
