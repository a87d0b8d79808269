import { canResendMail, OpsMailRow } from '@vetlab/shared';
import { nextAttemptOf } from '../../mail/mail-views';
import { OutboxKind } from '../../mail/outbox.entity';
import type { MailLogRow } from '../../mail/outbox.repository';

/** What a mail is about, in the lab's words, and where the SPA shows it. */
export function mailSubject(r: MailLogRow): { label: string; link: string | null; reportId: string | null } {
  const m = r.mail;
  if (m.kind === OutboxKind.BulkDigest) {
    // A digest's version is its bulk run's number; its subject is the clinic.
    return { label: `Resumen del lote #${m.version}`, link: r.bulkRunId ? `/bulk/${r.bulkRunId}` : null, reportId: null };
  }
  if (m.kind === OutboxKind.PasswordLink) {
    // Its subject is the link (never its token); the person is the recipient.
    return { label: 'Enlace para establecer la contraseña', link: null, reportId: null };
  }
  if (m.kind === OutboxKind.ReportAnnulled) {
    return { label: `Anulación del informe de ${r.protocol?.code ?? 'un protocolo borrado'} v${m.version}`, link: r.protocol ? `/protocols/${r.protocol.id}` : null, reportId: m.subjectId };
  }
  return {
    label: `Informe de ${r.protocol?.code ?? 'un protocolo borrado'} v${m.version}`,
    link: r.protocol ? `/protocols/${r.protocol.id}` : null,
    reportId: m.subjectId,
  };
}

/** One row of the mail log (`GET /api/ops/mails`). */
export function toOpsMailRow(r: MailLogRow): OpsMailRow {
  const m = r.mail;
  return {
    id: m.id,
    kind: m.kind,
    recipient: m.recipient,
    clinic: r.clinic,
    ...mailSubject(r),
    version: m.version,
    status: m.status,
    attempts: m.attempts,
    lastError: m.lastError,
    serverResponse: m.serverResponse,
    messageId: m.messageId,
    createdAt: m.createdAt.toISOString(),
    sentAt: m.sentAt?.toISOString() ?? null,
    nextAttemptAt: nextAttemptOf(m)?.toISOString() ?? null,
    resendable: canResendMail(m),
  };
}
