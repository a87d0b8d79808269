import { Alert, Center, Loader, Pagination, Stack } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { LAB_RECORD_ENTITIES, Role, type AuditEntity } from '@vetlab/shared';
import { useState } from 'react';
import { LoadError } from '../app/load-error';
import { useApi, useSession } from '../app/providers';
import { useI18n } from '../i18n/i18n';
import { auditKeys, listAudit } from './audit-api';
import { AuditTable } from './audit-table';

export const HISTORY_PAGE_SIZE = 10;

/**
 * A record's history: its audit entries, newest first, with before → after made readable.
 * Placed on every record's page (protocol, report, work order, person, clinic, bulk run); renders
 * nothing for vets (the trail is the lab's), nor for staff on a record that is not a lab record.
 */
export function HistoryTab({ entity, entityId }: { entity: AuditEntity; entityId: string }) {
  const session = useSession();
  const role = session?.user.role;
  const allowed = role === Role.Admin || (role === Role.Staff && LAB_RECORD_ENTITIES.includes(entity));
  if (!allowed) return null;
  return <History entity={entity} entityId={entityId} />;
}

function History({ entity, entityId }: { entity: AuditEntity; entityId: string }) {
  const { t } = useI18n();
  const api = useApi();
  const [page, setPage] = useState(1);
  const query = { entity, entityId, page, pageSize: HISTORY_PAGE_SIZE };
  const entries = useQuery({ queryKey: auditKeys.list(query), queryFn: () => listAudit(api, query), placeholderData: keepPreviousData });
  const data = entries.data;
  return (
    <Stack gap="sm" data-testid="history" data-entity={entity}>
      {entries.isPending && (
        <Center p="md">
          <Loader size="sm" aria-label={t('app.loading')} />
        </Center>
      )}
      {entries.isError && <LoadError title="audit.loadError" error={entries.error} onRetry={() => entries.refetch()} />}
      {data && data.total === 0 && (
        <Alert color="gray" variant="light" data-testid="history-empty">
          {t('audit.history.empty')}
        </Alert>
      )}
      {/* A report's entries name their version in the record column. */}
      {data && data.items.length > 0 && <AuditTable entries={data.items} withRecord={entity === 'report'} />}
      {data && data.total > data.pageSize && <Pagination size="sm" total={Math.ceil(data.total / data.pageSize)} value={page} onChange={setPage} />}
    </Stack>
  );
}
