import type { SendMailOptions } from 'nodemailer';
import { formatsFor, wordingFor } from '../i18n/wording';
import { ReportMailInput, reportVoidPdfFilename } from './report-mail';

/** As a report mail, but `pdf` is the version's PDF stamped ANULADO / VOID. */
export interface AnnulmentMailInput extends Omit<ReportMailInput, 'supersedesVersion' | 'verificationCode'> {
  annulledAt: Date;
  reason: string;
}

/** The e-mail that tells a clinic a report version was annulled, and why (the stamped PDF attached). */
export function annulmentMail(m: AnnulmentMailInput): SendMailOptions {
  const w = wordingFor(m.language).mail;
  const date = formatsFor(m.language).date(m.annulledAt.toISOString());
  const lines = [w.greeting, '', w.annulledBody(m.protocolCode, m.animalName, m.version, date), w.reason(m.reason), '', w.annulledAttached, '', w.closing, m.labName];
  return {
    from: m.from,
    to: m.to,
    messageId: m.messageId,
    subject: w.annulledSubject(m.protocolCode, m.animalName, m.version),
    text: `${lines.join('\n')}\n`,
    attachments: [{ filename: reportVoidPdfFilename(m.protocolCode, m.version, m.language), content: m.pdf, contentType: 'application/pdf' }],
  };
}
