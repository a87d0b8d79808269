import { EntityManager } from '@mikro-orm/core';
import { ProtocolStatus, ReportLanguage } from '@vetlab/shared';
import type { SendMailOptions } from 'nodemailer';
import { Clinic } from '../clinics/clinic.entity';
import { formatsFor, wordingFor } from '../i18n/wording';
import { PermanentJobError } from '../jobs/permanent-job-error';
import type { OutboxMessage } from '../mail/outbox.entity';
import { BulkRun } from './bulk-run.entity';
import type { BulkLedgerRepository } from './bulk-ledger.repository';

export interface BulkDigestInput {
  from: string;
  to: string;
  messageId: string;
  /** The clinic's report language. */
  language: ReportLanguage;
  labName: string;
  clinicName: string;
  target: ProtocolStatus;
  reason: string | null;
  protocols: { code: string; animalName: string }[];
}

/** The digest a clinic gets once per bulk run: its protocols that changed, in one short mail in its language. */
export function bulkDigestMail(m: BulkDigestInput): SendMailOptions {
  const w = wordingFor(m.language).mail;
  const f = formatsFor(m.language);
  const n = m.protocols.length;
  const counted = f.count(n, 'protocol');
  const lines = [
    w.greeting,
    '',
    w.digestIntro(counted, f.isOne(n), m.clinicName, w.status[m.target]),
    '',
    ...m.protocols.map((p) => `- ${p.code} (${p.animalName})`),
    ...(m.reason ? ['', w.reason(m.reason)] : []),
    '',
    w.closing,
    m.labName,
  ];
  return {
    from: m.from,
    to: m.to,
    messageId: m.messageId,
    subject: w.digestSubject(counted, f.isOne(n), m.target === ProtocolStatus.Rejected, m.clinicName),
    text: `${lines.join('\n')}\n`,
  };
}

/** Loads what a digest outbox row describes: the run (by number), the clinic and its protocols that changed. */
export async function composeBulkDigest(em: EntityManager, ledger: BulkLedgerRepository, row: OutboxMessage, from: string, labName: string): Promise<SendMailOptions> {
  const run = await em.findOne(BulkRun, { number: row.version });
  const clinic = await em.findOne(Clinic, { id: row.subjectId });
  if (!run || !clinic) throw new PermanentJobError(`bulk digest ${row.id}: run ${row.version} or clinic ${row.subjectId} no longer exists`);
  return bulkDigestMail({
    from,
    to: row.recipient,
    messageId: row.messageId,
    language: clinic.reportLanguage,
    labName,
    clinicName: clinic.name,
    target: run.target,
    reason: run.reason,
    protocols: await ledger.changedProtocols(em, run.id, clinic.id),
  });
}
