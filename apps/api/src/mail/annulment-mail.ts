import type { ReportLanguage } from '@vetlab/shared';
import { formatsFor } from '../i18n/wording';
import type { SendMailOptions } from 'nodemailer';
import { lifeText } from '../pdf/report-life-labels';
import { ReportMailInput, reportPdfFilename } from './report-mail';

/** As a report mail, but `pdf` is the version's PDF stamped ANULADO / VOID. */
export interface AnnulmentMailInput extends Omit<ReportMailInput, 'supersedesVersion' | 'verificationCode'> {
  annulledAt: Date;
  reason: string;
}

const WORDS = {
  es: {
    subject: (code: string, animal: string, v: number) => `Informe anulado ${code} — ${animal} (versión ${v})`,
    greeting: 'Estimado/a colega:',
    body: (code: string, animal: string, v: number, date: string) =>
      `Le informamos de que la versión ${v} del informe de laboratorio del protocolo ${code} (${animal}) ha sido anulada el ${date}. Por favor, no la utilice.`,
    reason: (r: string) => `Motivo: ${r}`,
    attached: 'Adjuntamos esa versión marcada como ANULADO / VOID para su registro.',
    closing: 'Saludos cordiales,',
  },
  en: {
    subject: (code: string, animal: string, v: number) => `Report annulled ${code} — ${animal} (version ${v})`,
    greeting: 'Dear colleague,',
    body: (code: string, animal: string, v: number, date: string) =>
      `Version ${v} of the laboratory report for protocol ${code} (${animal}) was annulled on ${date}. Please do not use it.`,
    reason: (r: string) => `Reason: ${r}`,
    attached: 'That version is attached, stamped ANULADO / VOID, for your records.',
    closing: 'Kind regards,',
  },
} as const satisfies Record<ReportLanguage, unknown>;

/** The e-mail that tells a clinic a report version was annulled, and why (the stamped PDF attached). */
export function annulmentMail(m: AnnulmentMailInput): SendMailOptions {
  const w = WORDS[m.language];
  const lines = [w.greeting, '', w.body(m.protocolCode, m.animalName, m.version, formatsFor(m.language).date(m.annulledAt.toISOString())), w.reason(m.reason), '', w.attached, '', w.closing, m.labName];
  const base = reportPdfFilename(m.protocolCode, m.version).replace(/\.pdf$/, '');
  return {
    from: m.from,
    to: m.to,
    messageId: m.messageId,
    subject: w.subject(m.protocolCode, m.animalName, m.version),
    text: `${lines.join('\n')}\n`,
    attachments: [{ filename: `${base}-${lifeText(m.language).voidFilenameSuffix}.pdf`, content: m.pdf, contentType: 'application/pdf' }],
  };
}
