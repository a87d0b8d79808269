import { Anchor, Button, Group, Loader, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link } from 'react-router';
import { useI18n } from '../i18n/i18n';
import { plural } from '../i18n/plural';
import { notifySuccess } from '../notifications/notify';
import { ClinicForm, emptyClinic, toRequest } from './clinic-form';
import { useClinics, useCreateClinic } from './clinics-api';

/** Admins: every clinic (a lab has tens, not thousands: one list, no paging) and "New clinic". */
export function ClinicsPage() {
  const { t, locale } = useI18n();
  const clinics = useClinics();
  const [creating, modal] = useDisclosure(false);
  const create = useCreateClinic();
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>{t('clinics.title')}</Title>
        <Button onClick={() => (create.reset(), modal.open())} data-testid="clinic-new">
          {t('clinics.new')}
        </Button>
      </Group>
      {clinics.isPending && <Loader aria-label="loading" />}
      {clinics.isError && (
        <Text c="red.8" role="alert">
          {t('clinics.loadError')}
        </Text>
      )}
      {clinics.data && !clinics.data.length && <Text c="dimmed">{t('clinics.empty')}</Text>}
      {clinics.data && clinics.data.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table withTableBorder highlightOnHover verticalSpacing="xs" data-testid="clinics-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('clinics.col.name')}</Table.Th>
                <Table.Th>{t('clinics.col.language')}</Table.Th>
                <Table.Th>{t('clinics.field.address')}</Table.Th>
                <Table.Th>{t('clinics.col.emails')}</Table.Th>
                <Table.Th>{t('clinics.col.phone')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {clinics.data.map((c) => (
                <Table.Tr key={c.id} data-testid="clinic-row">
                  <Table.Td>
                    <Anchor component={Link} to={`/clinics/${c.id}`}>
                      {c.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{t(`clinics.language.${c.reportLanguage}`)}</Table.Td>
                  <Table.Td>{c.address ?? t('clinics.none')}</Table.Td>
                  <Table.Td>{c.resultEmails.join(', ')}</Table.Td>
                  <Table.Td>{c.phone ?? t('clinics.none')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="xs" c="dimmed" mt={4}>
            {plural(t, locale, 'clinics.count', clinics.data.length)}
          </Text>
        </Table.ScrollContainer>
      )}
      <Modal opened={creating} onClose={modal.close} title={t('clinics.new')} centered size="lg">
        {creating && (
          <ClinicForm
            initial={emptyClinic}
            submitLabel={t('clinics.create')}
            pending={create.isPending}
            error={create.error}
            onCancel={modal.close}
            onSubmit={(v) =>
              create.mutate(toRequest(v), {
                onSuccess: (clinic) => {
                  notifySuccess(t('clinics.created', { name: clinic.name }));
                  modal.close();
                },
              })
            }
          />
        )}
      </Modal>
    </Stack>
  );
}
