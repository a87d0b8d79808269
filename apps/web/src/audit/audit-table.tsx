import { Anchor, Table, Text } from '@mantine/core';
import type { AuditEntryView } from '@vetlab/shared';
import { Link } from 'react-router';
import { useI18n } from '../i18n/i18n';
import { useFormatters } from '../protocols/format';
import { AuditChanges } from './audit-changes';
import { actionLabel, entityLabel, recordLink, recordName } from './audit-labels';

/** Entries as rows: when, who, action, the record (left out in a record's own history), changes. */
export function AuditTable({ entries, withRecord }: { entries: AuditEntryView[]; withRecord: boolean }) {
  const { t } = useI18n();
  const fmt = useFormatters();
  return (
    <Table.ScrollContainer minWidth={withRecord ? 860 : 640}>
      <Table withTableBorder verticalSpacing="xs" data-testid="audit-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('audit.col.when')}</Table.Th>
            <Table.Th>{t('audit.col.who')}</Table.Th>
            <Table.Th>{t('audit.col.action')}</Table.Th>
            {withRecord && <Table.Th>{t('audit.col.record')}</Table.Th>}
            <Table.Th>{t('audit.col.changes')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((e) => {
            const link = recordLink(e);
            return (
              <Table.Tr key={e.id} data-testid="audit-entry" data-action={e.action} data-entity={e.entity}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Text size="sm">{fmt.dateTime(e.at)}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{e.actor?.name ?? t('audit.system')}</Text>
                  {e.jobId && (
                    <Text size="xs" c="dimmed">
                      {t('audit.byJob')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{actionLabel(t, e.action)}</Text>
                </Table.Td>
                {withRecord && (
                  <Table.Td>
                    <Text size="xs" c="dimmed">
                      {entityLabel(t, e.entity)}
                    </Text>
                    {link ? (
                      <Anchor component={Link} to={link} size="sm" ff="monospace">
                        {recordName(t, e)}
                      </Anchor>
                    ) : (
                      <Text size="sm" ff="monospace">
                        {recordName(t, e)}
                      </Text>
                    )}
                  </Table.Td>
                )}
                <Table.Td>
                  <AuditChanges entry={e} />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
