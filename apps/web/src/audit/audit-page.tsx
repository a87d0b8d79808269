import { Alert, Center, Group, Loader, Pagination, Stack, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { AuditAction, AuditEntity, isId, Role } from '@vetlab/shared';
import { LoadError } from '../app/load-error';
import { useApi, useSession } from '../app/providers';
import { useI18n } from '../i18n/i18n';
import { plural } from '../i18n/plural';
import { useUrlFilters } from '../ops/use-url-filters';
import { AuditQuery, auditKeys, listAudit } from './audit-api';
import { AUDIT_FILTERS, AuditFilters, AuditFiltersBar } from './audit-filters';
import { AuditTable } from './audit-table';

export const AUDIT_PAGE_SIZE = 25;

/** Local midnight of a "YYYY-MM-DD" day, as the instant the API speaks (UTC). */
const dayStart = (day: string, plusDays = 0) => {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d + plusDays).toISOString();
};

/** The URL's filters as the API's query: [first day's start, the day after the last day's start). */
export function toAuditQuery(f: AuditFilters, page: number, pageSize = AUDIT_PAGE_SIZE): AuditQuery {
  return {
    page,
    pageSize,
    ...(f.actorId ? { actorId: f.actorId } : {}),
    ...(f.entity ? { entity: f.entity as AuditEntity } : {}),
    ...(f.entityId && isId(f.entityId) ? { entityId: f.entityId } : {}),
    ...(f.action ? { action: f.action as AuditAction } : {}),
    ...(f.from ? { from: dayStart(f.from) } : {}),
    ...(f.to ? { to: dayStart(f.to, 1) } : {}),
  };
}

/** /audit: who changed what and when, filtered and paged (staff: the lab's records; admins: all). */
export function AuditPage() {
  const { t, locale } = useI18n();
  const api = useApi();
  const session = useSession();
  const admin = session?.user.role === Role.Admin;
  const { value, page, set } = useUrlFilters(AUDIT_FILTERS);
  // Staff have no person picker: an actor in the URL would filter by someone they cannot see.
  const query = toAuditQuery(admin ? value : { ...value, actorId: null }, page);
  const entries = useQuery({ queryKey: auditKeys.list(query), queryFn: () => listAudit(api, query), placeholderData: keepPreviousData });
  const data = entries.data;

  return (
    <Stack gap="md">
      <div>
        <Title order={2}>{t('audit.title')}</Title>
        <Text c="dimmed" size="sm">
          {t(admin ? 'audit.subtitle' : 'audit.subtitleStaff')}
        </Text>
      </div>
      <AuditFiltersBar value={value} onChange={set} admin={admin} />
      <Group gap="xs">
        {data && (
          <Text size="sm" c="dimmed" data-testid="audit-total">
            {plural(t, locale, 'audit.total', data.total)}
          </Text>
        )}
        {entries.isFetching && data && <Loader size="xs" aria-label={t('app.loading')} />}
      </Group>
      {entries.isPending && (
        <Center p="lg">
          <Loader aria-label={t('app.loading')} />
        </Center>
      )}
      {entries.isError && <LoadError title="audit.loadError" error={entries.error} onRetry={() => entries.refetch()} />}
      {data && data.total === 0 && (
        <Alert color="gray" variant="light" data-testid="audit-empty">
          {t('audit.empty')}
        </Alert>
      )}
      {data && data.items.length > 0 && <AuditTable entries={data.items} withRecord />}
      {data && data.total > data.pageSize && (
        <Pagination total={Math.ceil(data.total / data.pageSize)} value={page} onChange={(p) => set({ page: p })} data-testid="audit-pages" />
      )}
    </Stack>
  );
}
