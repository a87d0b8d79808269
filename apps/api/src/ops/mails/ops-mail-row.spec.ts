import { OutboxMessage } from '../../mail/outbox.entity';
import type { MailLogRow } from '../../mail/outbox.repository';
import { toOpsMailRow } from './ops-mail-row';

const mail = (over: Partial<OutboxMessage>): OutboxMessage =>
  Object.assign(new OutboxMessage(), {
    id: 'm1',
    kind: 'report_version',
    subjectType: 'report',
    subjectId: 'r1',
    version: 2,
    recipient: 'vet@norte.test',
    messageId: '<report-r1-v2-x@vetlab.local>',
    createdAt: new Date('2026-12-02T10:00:00Z'),
    nextAttemptAt: new Date('2026-12-02T10:05:00Z'),
    ...over,
  });
const clinic = { id: 'c1', name: 'Clínica Norte' };

describe('a mail log row', () => {
  it('names a set-password link mail without pointing at a report', () => {
    const row: MailLogRow = { mail: mail({ kind: 'password_link', subjectType: 'password_link', subjectId: 'l1', version: 1, status: 'sent' }), protocol: null, clinic: null, bulkRunId: null };
    expect(toOpsMailRow(row)).toMatchObject({ kind: 'password_link', label: 'Enlace para establecer la contraseña', link: null, reportId: null, clinic: null });
  });

  it('names a report mail by its protocol and version and links to the protocol', () => {
    const row: MailLogRow = { mail: mail({ status: 'failed', attempts: 3, lastError: '451 busy' }), protocol: { id: 'p1', code: 'P-2026-000123' }, clinic, bulkRunId: null };
    expect(toOpsMailRow(row)).toMatchObject({
      kind: 'report_version',
      label: 'Informe de P-2026-000123 v2',
      link: '/protocols/p1',
      reportId: 'r1',
      clinic,
      status: 'failed',
      lastError: '451 busy',
      nextAttemptAt: null,
      resendable: true,
    });
  });

  it('names a digest by its bulk run and links to the run; a sent one shows the server answer and is not resendable', () => {
    const sent = mail({ kind: 'bulk_digest', subjectType: 'clinic', subjectId: 'c1', version: 17, status: 'sent', attempts: 1, sentAt: new Date('2026-12-02T10:00:01Z'), serverResponse: '250 2.0.0 Ok: queued as ABC' });
    expect(toOpsMailRow({ mail: sent, protocol: null, clinic, bulkRunId: 'b17' })).toMatchObject({
      label: 'Resumen del lote #17',
      link: '/bulk/b17',
      reportId: null,
      serverResponse: '250 2.0.0 Ok: queued as ABC',
      sentAt: '2026-12-02T10:00:01.000Z',
      resendable: false,
    });
  });

  it('a pending mail shows when it is tried next; one being sent, until when its sender holds it', () => {
    const pending = toOpsMailRow({ mail: mail({ status: 'pending', attempts: 0 }), protocol: null, clinic: null, bulkRunId: null });
    expect(pending).toMatchObject({ nextAttemptAt: '2026-12-02T10:05:00.000Z', resendable: false, link: null });
    const sending = mail({ status: 'sending', attempts: 1, leaseUntil: new Date('2026-12-02T10:06:00Z') });
    expect(toOpsMailRow({ mail: sending, protocol: null, clinic: null, bulkRunId: null }).nextAttemptAt).toBe('2026-12-02T10:06:00.000Z');
  });
});
