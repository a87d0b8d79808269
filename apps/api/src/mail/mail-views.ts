import type { MailView } from '@vetlab/shared';
import { OutboxMessage, OutboxStatus } from './outbox.entity';

/** When an open mail (pending, or being sent) is tried next; null once sent or failed. */
export function nextAttemptOf(m: Pick<OutboxMessage, 'status' | 'leaseUntil' | 'nextAttemptAt'>): Date | null {
  const open = m.status === OutboxStatus.Pending || m.status === OutboxStatus.Sending;
  return open ? (m.leaseUntil ?? m.nextAttemptAt) : null;
}

/** An outbox row as staff see it on a report. */
export function toMailView(m: OutboxMessage): MailView {
  return {
    id: m.id,
    version: m.version,
    kind: m.kind,
    recipient: m.recipient,
    status: m.status,
    attempts: m.attempts,
    lastError: m.lastError,
    sentAt: m.sentAt?.toISOString() ?? null,
    nextAttemptAt: nextAttemptOf(m)?.toISOString() ?? null,
    createdAt: m.createdAt.toISOString(),
    serverResponse: m.serverResponse,
    messageId: m.messageId,
  };
}
