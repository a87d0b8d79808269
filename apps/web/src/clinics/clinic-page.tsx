import { Anchor, Group, Loader, Paper, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { ClinicView, Role } from '@vetlab/shared';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/api-client';
import { useSession } from '../app/providers';
import { NotFoundPage } from '../app/not-found-page';
import { HistoryTab } from '../audit/history-tab';
import { useI18n } from '../i18n/i18n';
import { errorMessage, notifySuccess } from '../notifications/notify';
import { ClinicForm, clinicValues, toRequest } from './clinic-form';
import { useClinic, useUpdateClinic } from './clinics-api';

/** A clinic: admins edit it (and read its history); a vet reads their own. */
export function ClinicPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const session = useSession();
  const clinic = useClinic(id);
  const admin = session?.user.role === Role.Admin;
  if (clinic.isPending) return <Loader aria-label="loading" />;
  if (clinic.error instanceof ApiError && (clinic.error.status === 404 || clinic.error.status === 400)) return <NotFoundPage />;
  if (clinic.isError) {
    return (
      <Text c="red.8" role="alert">
        {errorMessage(t, clinic.error)}
      </Text>
    );
  }
  const c = clinic.data;
  return (
    <Stack gap="md" maw={720}>
      {admin && (
        <Anchor component={Link} to="/admin/clinics" size="sm">
          ← {t('clinics.title')}
        </Anchor>
      )}
      <Title order={2} data-testid="clinic-title">
        {c.name}
      </Title>
      {admin ? (
        <Tabs defaultValue="details" keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="details">{t('clinics.tab.details')}</Tabs.Tab>
            <Tabs.Tab value="history" data-testid="clinic-history-tab">
              {t('clinics.tab.history')}
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="details" pt="md">
            <ClinicEditor clinic={c} />
          </Tabs.Panel>
          <Tabs.Panel value="history" pt="md">
            <HistoryTab entity="clinic" entityId={c.id} />
          </Tabs.Panel>
        </Tabs>
      ) : (
        <ClinicDetails clinic={c} />
      )}
    </Stack>
  );
}

function ClinicEditor({ clinic }: { clinic: ClinicView }) {
  const { t } = useI18n();
  const update = useUpdateClinic(clinic.id);
  return (
    <Paper withBorder p="md">
      <ClinicForm
        // A saved edit starts the form afresh from what the server kept.
        key={JSON.stringify(clinic)}
        initial={clinicValues(clinic)}
        submitLabel={t('clinics.save')}
        pending={update.isPending}
        error={update.error}
        onSubmit={(v) => update.mutate(toRequest(v), { onSuccess: () => notifySuccess(t('clinics.saved')) })}
      />
    </Paper>
  );
}

/** A vet's read-only view of their clinic. */
function ClinicDetails({ clinic }: { clinic: ClinicView }) {
  const { t } = useI18n();
  const rows: [string, string][] = [
    [t('clinics.field.address'), clinic.address ?? t('clinics.none')],
    [t('clinics.field.phone'), clinic.phone ?? t('clinics.none')],
    [t('clinics.field.emails'), clinic.resultEmails.join(', ')],
    [t('clinics.col.language'), t(`clinics.language.${clinic.reportLanguage}`)],
  ];
  return (
    <Paper withBorder p="md" data-testid="clinic-details">
      <Table variant="vertical" withRowBorders={false}>
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w={260}>{label}</Table.Th>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group mt="sm">
        <Text size="sm" c="dimmed">
          {t('clinics.readOnly')}
        </Text>
      </Group>
    </Paper>
  );
}
