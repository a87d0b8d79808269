import { Alert, Anchor, Button, Card, Group, Skeleton, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { canResendMail, MailStatus, Role } from '@vetlab/shared';
import type { MailView } from '@vetlab/shared';
import { useApi, useSession } from '../app/providers';
import { LoadError } from '../app/load-error';
import { useT } from '../i18n/i18n';
import { MailStatusBadge, nextAttemptKey } from '../ops/job-state-badge';
import { errorMessage } from '../notifications/notify';
import { useFormatters } from './format';

/** While a mail is still on its way, the list is looked at again this often. */
const REFRESH_MS = 5000;

/** Fields the API may add to MailView (the ops console's mail log has them); read defensively. */
type MailViewMore = MailView & { serverResponse?: string | null; messageId?: string | null };

const isOpen = (m: MailView) => m.status === MailStatus.Pending || m.status === MailStatus.Sending;

/**
 * The lab's view of a report's mails (every version): who, how it went, and "send again" where it
 * may. Read-only for staff who are not signers (the API refuses them a resend too).
 */
export function MailPanel({ reportId }: { reportId: string }) {
  const t = useT();
  const api = useApi();
  const user = useSession()?.user;
  const mayResend = !!user && (user.signer || user.role === Role.Admin);
  const query = useQuery({
    // Under the report's key: whatever refreshes the report (a finalize that completed) refreshes this too.
    queryKey: ['report', reportId, 'mails'],
    queryFn: () => api.get<MailView[]>(`/reports/${reportId}/mails`),
    refetchInterval: (q) => (q.state.data?.some(isOpen) ? REFRESH_MS : false),
  });

  if (query.isPending) return <Skeleton height={80} radius="md" />;
  if (query.isError) return <LoadError title="mail.loadError" error={query.error} onRetry={() => query.refetch()} />;

  return (
    <Card withBorder radius="md" padding={0} data-testid="report-mails">
      <Group justify="space-between" px="md" pt="sm" pb={4}>
        <Title order={4}>{t('mail.title')}</Title>
        {user?.role === Role.Admin && (
          <Anchor component={Link} to={`/ops?tab=mails&reportId=${encodeURIComponent(reportId)}`} size="sm">
            {t('mail.inLog')}
          </Anchor>
        )}
      </Group>
      {query.data.length === 0 ? (
        <Text size="sm" c="dimmed" px="md" pb="sm">
          {t('mail.none')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing={6}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('mail.col.version')}</Table.Th>
                <Table.Th>{t('mail.col.recipient')}</Table.Th>
                <Table.Th>{t('mail.col.status')}</Table.Th>
                <Table.Th>{t('mail.col.attempts')}</Table.Th>
                <Table.Th>{t('mail.col.when')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {query.data.map((m) => (
                <MailRow key={m.id} reportId={reportId} mail={m} mayResend={mayResend} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

function MailRow({ reportId, mail, mayResend }: { reportId: string; mail: MailViewMore; mayResend: boolean }) {
  const t = useT();
  const api = useApi();
  const qc = useQueryClient();
  const fmt = useFormatters();
  const resend = useMutation({
    mutationFn: () => api.post<MailView>(`/mails/${mail.id}/resend`),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['report', reportId, 'mails'] }),
  });
  const when = mail.status === MailStatus.Sent ? t('mail.sentAt', { at: fmt.dateTime(mail.sentAt) }) : mail.nextAttemptAt ? t(nextAttemptKey(mail.status), { at: fmt.time(mail.nextAttemptAt) }) : '';
  return (
    <Table.Tr data-testid="report-mail" data-status={mail.status}>
      <Table.Td>
        {t('report.version', { n: mail.version })}
        {mail.kind === 'report_annulled' && (
          <Text span size="xs" c="red.8" fw={600} ml={6}>
            {t('mail.annulment')}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm">{mail.recipient}</Text>
        {mail.lastError && mail.status !== MailStatus.Sent && (
          <Text size="xs" c="red.8" data-testid="mail-error">
            {mail.lastError}
          </Text>
        )}
        {mail.status === MailStatus.Sent && mail.serverResponse && (
          <Text size="xs" c="dimmed" data-testid="mail-answer">
            {mail.serverResponse}
          </Text>
        )}
        {mail.messageId && (
          <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
            {t('ops.mails.messageId', { id: mail.messageId })}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <MailStatusBadge status={mail.status} />
      </Table.Td>
      <Table.Td>{mail.attempts}</Table.Td>
      <Table.Td>
        <Text size="sm">{when}</Text>
      </Table.Td>
      <Table.Td>
        {mayResend && canResendMail(mail) && (
          <Button size="compact-sm" variant="light" loading={resend.isPending} onClick={() => resend.mutate()} data-testid="mail-resend">
            {t('mail.resend')}
          </Button>
        )}
        {resend.isError && (
          <Alert color="red" variant="light" p={4} mt={4} data-testid="mail-resend-error">
            {errorMessage(t, resend.error)}
          </Alert>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
