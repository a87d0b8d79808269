import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { SendMailOptions } from 'nodemailer';
import { buffer } from 'node:stream/consumers';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { PermanentJobError } from '../jobs/permanent-job-error';
import { LAB_LETTERHEAD } from '../reports/finalize/lab-letterhead';
import { ReportVersion } from '../reports/report-version.entity';
import { FILE_STORAGE, FileStorage } from '../storage/file-storage';
import { OutboxKind, OutboxMessage, OutboxStatus } from './outbox.entity';
import { MailTransportService } from './mail-transport.service';
import { reportMail } from './report-mail';
import { composeBulkDigest } from '../bulk/bulk-digest-mail';
import { BulkLedgerRepository } from '../bulk/bulk-ledger.repository';

const MAX_ERROR = 1000;

/** Sends one outbox row; a row already sent is skipped, so a re-delivered job mails nothing. */
@Injectable()
export class MailDeliveryService {
  private readonly log = new Logger(MailDeliveryService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly transport: MailTransportService,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ledger: BulkLedgerRepository,
  ) {}

  /** `lastAttempt`: a failure now marks the row failed for good. */
  async deliver(outboxId: string, lastAttempt: boolean): Promise<{ outboxId: string; sent: boolean }> {
    const em = this.em.fork();
    const row = await em.findOne(OutboxMessage, { id: outboxId });
    if (!row) throw new PermanentJobError(`outbox message ${outboxId} no longer exists`);
    if (row.status === OutboxStatus.Sent) return { outboxId, sent: false };
    row.attempts++;
    try {
      // Its own fork: the flush below must write the outbox row and nothing it read to compose.
      await this.transport.send(row.id, await this.compose(this.em.fork(), row));
    } catch (e) {
      const permanent = e instanceof PermanentJobError || isPermanentSmtpError(e);
      row.lastError = ((e as Error)?.message ?? String(e)).slice(0, MAX_ERROR);
      if (permanent || lastAttempt) row.status = OutboxStatus.Failed;
      await em.flush();
      this.log.warn(`mail ${row.id} to ${row.recipient} failed (attempt ${row.attempts}): ${row.lastError}`);
      throw permanent && !(e instanceof PermanentJobError) ? new PermanentJobError(row.lastError) : e;
    }
    Object.assign(row, { status: OutboxStatus.Sent, sentAt: new Date(), lastError: null });
    await em.flush();
    return { outboxId, sent: true };
  }

  private async compose(em: EntityManager, row: OutboxMessage): Promise<SendMailOptions> {
    if (row.kind === OutboxKind.BulkDigest) return composeBulkDigest(em, this.ledger, row, this.config.mail.from, LAB_LETTERHEAD.name);
    if (row.kind !== OutboxKind.ReportVersion) throw new PermanentJobError(`unknown outbox kind ${row.kind}`);
    const version = await em.findOne(ReportVersion, { report: row.subjectId, number: row.version }, { populate: ['report.protocol'] });
    if (!version) throw new PermanentJobError(`report ${row.subjectId} has no version ${row.version}`);
    // Transient: the file may be rendered again (a lost file); the retry finds it.
    const file = version.pdfKey ? await this.storage.open(version.pdfKey) : null;
    if (!file) throw new Error(`the PDF of report version ${row.version} is not stored`);
    const protocol = version.report.protocol;
    return reportMail({
      from: this.config.mail.from,
      to: row.recipient,
      messageId: row.messageId,
      protocolCode: protocol.code,
      animalName: protocol.animalName,
      version: version.number,
      supersedesVersion: version.supersedesNumber,
      verificationCode: version.verificationCode,
      labName: LAB_LETTERHEAD.name,
      pdf: await buffer(file.stream),
    });
  }
}

/** A 5xx reply (mailbox unknown, message refused) will not change on a retry; 4xx may. */
function isPermanentSmtpError(e: unknown): boolean {
  const code = (e as { responseCode?: number })?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}
