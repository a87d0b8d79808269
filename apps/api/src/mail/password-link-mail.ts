import { ReportLanguage, Role } from '@vetlab/shared';
import type { SendMailOptions } from 'nodemailer';
import { formatsFor } from '../i18n/wording';

export interface PasswordLinkMailInput {
  from: string;
  to: string;
  messageId: string;
  /** A vet's clinic's report language; everybody else reads Spanish. */
  language: ReportLanguage;
  name: string;
  /** `<PUBLIC_URL>/password/<token>`. */
  url: string;
  expiresAt: Date;
  labName: string;
}

const WORDS: Record<ReportLanguage, { subject: string; greeting: (name: string) => string; body: string; expires: (when: string) => string; ignore: string; closing: string }> = {
  es: {
    subject: 'Establezca su contraseña de vetlab',
    greeting: (name) => `Hola, ${name}:`,
    body: 'Para entrar en vetlab, establezca su contraseña en este enlace (sirve una sola vez):',
    expires: (when) => `El enlace caduca el ${when}. Si caduca, pida uno nuevo al laboratorio.`,
    ignore: 'Si no esperaba este mensaje, ignórelo.',
    closing: 'Un saludo,',
  },
  en: {
    subject: 'Set your vetlab password',
    greeting: (name) => `Hello ${name},`,
    body: 'To sign in to vetlab, set your password at this link (it works once):',
    expires: (when) => `The link expires on ${when}. If it does, ask the lab for a new one.`,
    ignore: 'If you did not expect this message, ignore it.',
    closing: 'Kind regards,',
  },
};

/** The language of a person's mails: a vet reads their clinic's language, the lab's people Spanish. */
export function personLanguage(user: { role: Role; clinic: { reportLanguage: ReportLanguage } | null }): ReportLanguage {
  return user.role === Role.Vet && user.clinic ? user.clinic.reportLanguage : ReportLanguage.Es;
}

/** The e-mail with a person's one-time link to set a password (plain text, no attachment). */
export function passwordLinkMail(m: PasswordLinkMailInput): SendMailOptions {
  const w = WORDS[m.language];
  const when = formatsFor(m.language).dateTime(m.expiresAt.toISOString());
  const lines = [w.greeting(m.name), '', w.body, '', m.url, '', w.expires(when), w.ignore, '', w.closing, m.labName];
  return { from: m.from, to: m.to, messageId: m.messageId, subject: w.subject, text: `${lines.join('\n')}\n` };
}
