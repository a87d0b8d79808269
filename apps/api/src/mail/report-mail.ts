import type { SendMailOptions } from 'nodemailer';

export interface ReportMailInput {
  from: string;
  to: string;
  messageId: string;
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

/** The e-mail that carries a finalized report version to a clinic (Spanish, short, PDF attached). */
export function reportMail(m: ReportMailInput): SendMailOptions {
  const replaces = m.supersedesVersion != null ? ` (versión ${m.version}, reemplaza a la versión ${m.supersedesVersion})` : '';
  const lines = [
    'Estimado/a colega:',
    '',
    `Adjuntamos el informe de laboratorio del protocolo ${m.protocolCode} (${m.animalName}), versión ${m.version}.`,
    ...(m.supersedesVersion != null
      ? [`Esta versión reemplaza a la versión ${m.supersedesVersion} enviada anteriormente; por favor, descarte aquella.`]
      : []),
    ...(m.verificationCode ? [`Código de verificación: ${m.verificationCode}`] : []),
    '',
    'Saludos cordiales,',
    m.labName,
  ];
  return {
    from: m.from,
    to: m.to,
    messageId: m.messageId,
    subject: `Informe de laboratorio ${m.protocolCode} — ${m.animalName}${replaces}`,
    text: `${lines.join('\n')}\n`,
    attachments: [{ filename: reportPdfFilename(m.protocolCode, m.version), content: m.pdf, contentType: 'application/pdf' }],
  };
}
