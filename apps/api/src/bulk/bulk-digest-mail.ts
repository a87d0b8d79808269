import { EntityManager } from '@mikro-orm/core';
import { ProtocolStatus } from '@vetlab/shared';
import type { SendMailOptions } from 'nodemailer';
import { Clinic } from '../clinics/clinic.entity';
import { PermanentJobError } from '../jobs/permanent-job-error';
import type { OutboxMessage } from '../mail/outbox.entity';
import { BulkRun } from './bulk-run.entity';
import type { BulkLedgerRepository } from './bulk-ledger.repository';

const STATUS_WORDS: Record<ProtocolStatus, string> = {
  submitted: 'enviado',
  received: 'recibido en el laboratorio',
  in_analysis: 'en análisis',
  reported: 'informado',
  rejected: 'rechazado',
};

export interface BulkDigestInput {
  from: string;
  to: string;
  messageId: string;
  labName: string;
  clinicName: string;
  target: ProtocolStatus;
  reason: string | null;
  protocols: { code: string; animalName: string }[];
}

/** The digest a clinic gets once per bulk run: its protocols that changed, in one short mail. */
export function bulkDigestMail(m: BulkDigestInput): SendMailOptions {
  const n = m.protocols.length;
  const status = STATUS_WORDS[m.target];
  const lines = [
    'Estimado/a colega:',
    '',
    n === 1 ? `El siguiente protocolo de ${m.clinicName} ha pasado a estado «${status}»:` : `Los siguientes ${n} protocolos de ${m.clinicName} han pasado a estado «${status}»:`,
    '',
    ...m.protocols.map((p) => `- ${p.code} (${p.animalName})`),
    ...(m.reason ? ['', `Motivo: ${m.reason}`] : []),
    '',
    'Saludos cordiales,',
    m.labName,
  ];
  return {
    from: m.from,
    to: m.to,
    messageId: m.messageId,
    subject: `${n} ${n === 1 ? 'protocolo' : 'protocolos'} ${m.target === ProtocolStatus.Rejected ? 'rechazados' : 'actualizados'} — ${m.clinicName}`,
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
    labName,
    clinicName: clinic.name,
    target: run.target,
    reason: run.reason,
    protocols: await ledger.changedProtocols(em, run.id, clinic.id),
  });
}
