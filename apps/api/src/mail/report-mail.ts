import type { ReportLanguage } from '@vetlab/shared';
import type { SendMailOptions } from 'nodemailer';
import { wordingFor } from '../i18n/wording';

export interface ReportMailInput {
  from: string;
  to: string;
  messageId: string;
  /** The clinic's report language: the mail speaks it, like the PDF it carries. */
  language: ReportLanguage;
  protocolCode: string;
  animalName: string;
  version: number;
  /** Set for an amendment: the version this one replaces. */
  supersedesVersion: number | null;
  verificationCode: string | null;
  labName: string;
  pdf: Buffer;
}

export const reportPdfFilename = (protocolCode: string, version: number) => `${protocolCode}-v${version}.pdf`;

/** An annulled version's file name, as mailed and as downloaded: P-2026-000042-v1-anulado.pdf (es), …-void.pdf (en). */
export const reportVoidPdfFilename = (protocolCode: string, version: number, language: ReportLanguage) =>
  `${protocolCode}-v${version}-${wordingFor(language).report.voidFilenameSuffix}.pdf`;

/** The e-mail that carries a finalized report version to a clinic (short, in its language, PDF attached). */
export function reportMail(m: ReportMailInput): SendMailOptions {
  const w = wordingFor(m.language).mail;
  const lines = [
    w.greeting,
    '',
    w.reportAttached(m.protocolCode, m.animalName, m.version),
    ...(m.supersedesVersion != null ? [w.reportReplaces(m.supersedesVersion)] : []),
    ...(m.verificationCode ? [w.verificationCode(m.verificationCode)] : []),
    '',
    w.closing,
    m.labName,
  ];
  return {
    from: m.from,
    to: m.to,
    messageId: m.messageId,
    subject: w.reportSubject(m.protocolCode, m.animalName, m.version, m.supersedesVersion),
    text: `${lines.join('\n')}\n`,
    attachments: [{ filename: reportPdfFilename(m.protocolCode, m.version), content: m.pdf, contentType: 'application/pdf' }],
  };
}
