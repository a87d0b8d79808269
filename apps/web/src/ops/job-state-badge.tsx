import { Badge } from '@mantine/core';
import { type JobState, MailStatus } from '@vetlab/shared';
import { useT } from '../i18n/i18n';
import { stateLabel } from './labels';

const JOB_COLORS: Record<JobState, string> = { queued: 'gray', active: 'blue', retrying: 'yellow', completed: 'teal', failed: 'red', cancelled: 'dark' };
const MAIL_COLORS: Record<MailStatus, string> = { pending: 'yellow', sending: 'blue', sent: 'teal', failed: 'red' };

export function JobStateBadge({ state }: { state: JobState }) {
  const t = useT();
  return (
    <Badge variant="light" color={JOB_COLORS[state]} data-testid="job-state">
      {stateLabel(t, state)}
    </Badge>
  );
}

/** A mail's status, at its full width: beside a long recipient or Message-ID a table would squeeze it to "ENVIA…". */
export function MailStatusBadge({ status }: { status: MailStatus }) {
  const t = useT();
  return (
    <Badge variant="light" color={MAIL_COLORS[status]} miw="max-content" data-testid="mail-status">
      {t(`mail.status.${status}`)}
    </Badge>
  );
}

/**
 * How a mail's `nextAttemptAt` reads: when a pending mail is tried again, or, for one being sent right
 * now, when it is tried again only if this attempt never finishes (the sender's lease runs out).
 */
export function nextAttemptKey(status: MailStatus): 'mail.nextAttempt' | 'mail.retryIfUnfinished' {
  return status === MailStatus.Sending ? 'mail.retryIfUnfinished' : 'mail.nextAttempt';
}
