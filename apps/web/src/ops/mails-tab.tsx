import { Alert, Anchor, Button, Center, CloseButton, Group, Loader, Pagination, Select, Stack, Table, Text } from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { MailStatus, values } from '@vetlab/shared';
import type { OpsMailRow } from '@vetlab/shared';
import { Link } from 'react-router';
import { LoadError } from '../app/load-error';
import { useApi } from '../app/providers';
import { useI18n, useT } from '../i18n/i18n';
import { plural } from '../i18n/plural';
import { notifySuccess } from '../notifications/notify';
import { useFormatters } from '../protocols/format';
import { useClinics } from '../protocols/protocol-queries';
import { ConfirmButton } from './confirm-button';
import { MailStatusBadge, nextAttemptKey } from './job-state-badge';
import { useRefetchOnChange } from './jobs-tab';
import { listMails, MailsQuery, opsKeys, resendFailedOf, resendMail } from './ops-api';
import { notifyOpsError } from './ops-errors';
import { useUrlFilters } from './use-url-filters';

export const MAIL_FILTERS = ['clinicId', 'status', 'reportId'] as const;
export const MAILS_PAGE_SIZE = 25;

/** Every outbox message: to whom, about what, how it went (the server's answer or the reason), and "send again". */
export function MailsTab({ countsKey }: { countsKey: string }) {
  const { t, locale } = useI18n();
  const api = useApi();
  const qc = useQueryClient();
  const clinics = useClinics(true);
  const { value, page, set, filtered } = useUrlFilters(MAIL_FILTERS);
  const query: MailsQuery = {
    page,
    pageSize: MAILS_PAGE_SIZE,
    ...(value.clinicId ? { clinicId: value.clinicId } : {}),
    ...(value.status ? { status: value.status as MailStatus } : {}),
    ...(value.reportId ? { reportId: value.reportId } : {}),
  };
  const mails = useQuery({ queryKey: opsKeys.mails(query), queryFn: () => listMails(api, query), placeholderData: keepPreviousData });
  const refetch = mails.refetch;
  useRefetchOnChange(countsKey, () => void refetch());
  const resendClinic = useMutation({
    mutationFn: (clinicId: string) => resendFailedOf(api, clinicId),
    onSuccess: ({ count }) => notifySuccess(plural(t, locale, 'ops.mails.resendFailed.done', count)),
    onError: (e) => notifyOpsError(t, e),
    onSettled: () => void qc.invalidateQueries({ queryKey: opsKeys.all }),
  });
  const clinicName = clinics.data?.find((c) => c.id === value.clinicId)?.name ?? '';

  return (
    <Stack gap="md">
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label={t('ops.mails.clinic')}
          placeholder={t('ops.mails.anyClinic')}
          data={(clinics.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          value={value.clinicId}
          onChange={(v) => set({ clinicId: v })}
          clearable
          searchable
          w={260}
          data-testid="mails-filter-clinic"
        />
        <Select
          label={t('ops.mails.status')}
          placeholder={t('ops.jobs.any')}
          data={values(MailStatus).map((s) => ({ value: s, label: t(`mail.status.${s}`) }))}
          value={value.status}
          onChange={(v) => set({ status: v })}
          clearable
          w={170}
          data-testid="mails-filter-status"
        />
        {value.reportId && (
          <Group gap={2} mb={6}>
            <Text size="sm" data-testid="mails-report-filter">
              {t('ops.mails.report')}
            </Text>
            <CloseButton size="sm" aria-label={t('app.clear')} onClick={() => set({ reportId: null })} />
          </Group>
        )}
        {value.clinicId && (
          <ConfirmButton
            variant="light"
            color="red"
            loading={resendClinic.isPending}
            label={t('ops.mails.resendFailed')}
            question={`${t('ops.mails.resendFailed')}: ${clinicName}`}
            onConfirm={() => resendClinic.mutate(value.clinicId as string)}
            data-testid="mails-resend-failed"
          />
        )}
        {mails.isFetching && <Loader size="xs" aria-label={t('app.loading')} mb={10} />}
      </Group>
      {mails.data && (
        <Text size="sm" c="dimmed" data-testid="mails-total">
          {plural(t, locale, 'ops.mails.total', mails.data.total)}
        </Text>
      )}
      {mails.isPending && (
        <Center p="lg">
          <Loader aria-label={t('app.loading')} />
        </Center>
      )}
      {mails.isError && <LoadError title="ops.mails.loadError" error={mails.error} onRetry={() => mails.refetch()} />}
      {mails.data && mails.data.total === 0 && (
        <Alert color="gray" variant="light" data-testid="mails-empty">
          {t(filtered ? 'ops.mails.empty' : 'ops.mails.emptyNone')}
        </Alert>
      )}
      {mails.data && mails.data.items.length > 0 && (
        <Table.ScrollContainer minWidth={960}>
          <Table withTableBorder verticalSpacing="xs" data-testid="ops-mails">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('ops.mails.col.recipientClinic')}</Table.Th>
                <Table.Th>{t('ops.mails.col.about')}</Table.Th>
                <Table.Th>{t('ops.mails.col.status')}</Table.Th>
                <Table.Th>{t('ops.mails.col.answer')}</Table.Th>
                <Table.Th>{t('ops.mails.col.times')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {mails.data.items.map((m) => (
                <MailLogRow key={m.id} mail={m} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {mails.data && mails.data.total > mails.data.pageSize && (
        <Pagination total={Math.ceil(mails.data.total / mails.data.pageSize)} value={page} onChange={(p) => set({ page: p })} />
      )}
    </Stack>
  );
}

function MailLogRow({ mail }: { mail: OpsMailRow }) {
  const t = useT();
  const api = useApi();
  const qc = useQueryClient();
  const fmt = useFormatters();
  const resend = useMutation({
    mutationFn: () => resendMail(api, mail.id),
    onSuccess: () => notifySuccess(t('ops.mails.resent', { to: mail.recipient })),
    onError: (e) => notifyOpsError(t, e),
    onSettled: () => void qc.invalidateQueries({ queryKey: opsKeys.all }),
  });
  return (
    <Table.Tr data-testid="ops-mail" data-status={mail.status}>
      <Table.Td>
        <Text size="sm" style={{ wordBreak: 'break-word' }} data-testid="mail-recipient">
          {mail.recipient}
        </Text>
        <Text size="xs" c="dimmed" data-testid="mail-clinic">
          {mail.clinic?.name ?? t('app.none')}
        </Text>
      </Table.Td>
      <Table.Td miw={140} style={{ whiteSpace: 'nowrap' }}>
        {mail.link ? (
          <Anchor component={Link} to={mail.link} size="sm">
            {mail.label}
          </Anchor>
        ) : (
          <Text size="sm">{mail.label}</Text>
        )}
      </Table.Td>
      <Table.Td miw={110}>
        <MailStatusBadge status={mail.status} />
        <Text size="xs" c="dimmed" mt={4} data-testid="mail-attempts">
          {t('ops.mails.attempts', { n: mail.attempts })}
        </Text>
      </Table.Td>
      <Table.Td miw={240} maw={340}>
        {mail.status === MailStatus.Sent
          ? mail.serverResponse && (
              <Text size="xs" data-testid="mail-answer">
                {mail.serverResponse}
              </Text>
            )
          : mail.lastError && (
              <Text size="xs" c="red.8" data-testid="mail-error">
                {mail.lastError}
              </Text>
            )}
        <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
          {t('ops.mails.messageId', { id: mail.messageId })}
        </Text>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Text size="xs">{t('ops.mails.created', { at: fmt.dateTime(mail.createdAt) })}</Text>
        {mail.sentAt && <Text size="xs">{t('mail.sentAt', { at: fmt.dateTime(mail.sentAt) })}</Text>}
        {mail.nextAttemptAt && <Text size="xs">{t(nextAttemptKey(mail.status), { at: fmt.time(mail.nextAttemptAt) })}</Text>}
      </Table.Td>
      <Table.Td>
        {mail.resendable && (
          <Button size="compact-sm" variant="light" loading={resend.isPending} onClick={() => resend.mutate()} data-testid="ops-mail-resend">
            {t('ops.mails.resend')}
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
