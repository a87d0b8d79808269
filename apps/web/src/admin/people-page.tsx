import { Anchor, Badge, Button, Group, Loader, Pagination, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Role, values } from '@vetlab/shared';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useApi } from '../app/providers';
import type { MessageKey } from '../i18n/catalogue';
import { useI18n } from '../i18n/i18n';
import { plural } from '../i18n/plural';
import { errorMessage } from '../notifications/notify';
import { useUrlFilters } from '../ops/use-url-filters';
import { useClinics } from '../protocols/protocol-queries';
import { NewPersonModal } from './new-person-modal';
import { listPeople, peopleKeys, PeopleFilters } from './people-api';

const FILTERS = ['role', 'clinicId', 'active', 'q'] as const;

/** /admin/people: everybody who uses vetlab, filtered (in the URL) and paged; "Nueva persona". */
export function PeoplePage() {
  const api = useApi();
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const { value, page, set } = useUrlFilters(FILTERS);
  const filters: PeopleFilters = { role: value.role as Role | null, clinicId: value.clinicId, active: value.active, q: value.q };
  const [search, setSearch] = useState(value.q ?? '');
  const setQ = useDebouncedCallback((q: string) => set({ q: q.trim() || null }), 300);
  const [creating, setCreating] = useState(false);
  const clinics = useClinics(true);
  const people = useQuery({ queryKey: peopleKeys.list(filters, page), queryFn: () => listPeople(api, filters, page), placeholderData: keepPreviousData });
  const data = people.data;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="baseline">
        <Group gap="sm" align="baseline">
          <Title order={2}>{t('people.title')}</Title>
          {people.isFetching && <Loader size="xs" aria-label={t('app.loading')} />}
        </Group>
        <Button onClick={() => setCreating(true)} data-testid="new-person">
          {t('people.new')}
        </Button>
      </Group>
      <Group gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          label={t('people.filter.search')}
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setQ(e.currentTarget.value);
          }}
          data-testid="people-search"
          w={240}
        />
        <Select
          label={t('people.filter.role')}
          placeholder={t('people.filter.any')}
          data={values(Role).map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }))}
          value={value.role}
          onChange={(v) => set({ role: v })}
          clearable
          data-testid="people-role"
          w={170}
        />
        <Select
          label={t('people.filter.clinic')}
          placeholder={t('people.filter.any')}
          data={(clinics.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          value={value.clinicId}
          onChange={(v) => set({ clinicId: v })}
          clearable
          searchable
          data-testid="people-clinic"
          w={200}
        />
        <Select
          label={t('people.filter.active')}
          placeholder={t('people.filter.any')}
          data={[
            { value: 'true', label: t('people.active') },
            { value: 'false', label: t('people.inactive') },
          ]}
          value={value.active}
          onChange={(v) => set({ active: v })}
          clearable
          data-testid="people-active"
          w={160}
        />
      </Group>
      {people.isPending && <Loader aria-label={t('app.loading')} data-testid="people-loading" />}
      {people.error && !data && <Text c="red">{errorMessage(t, people.error)}</Text>}
      {data && (
        <Text size="sm" c="dimmed" data-testid="people-total">
          {plural(t, locale, 'people.total', data.total)}
        </Text>
      )}
      {data && data.total === 0 && (
        <Text c="dimmed" data-testid="people-empty">
          {t('people.empty')}
        </Text>
      )}
      {data && data.items.length > 0 && (
        <Table.ScrollContainer minWidth={720}>
          <Table withTableBorder highlightOnHover verticalSpacing="xs" data-testid="people-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('people.col.name')}</Table.Th>
                <Table.Th>{t('people.col.email')}</Table.Th>
                <Table.Th>{t('people.col.role')}</Table.Th>
                <Table.Th>{t('people.col.clinic')}</Table.Th>
                <Table.Th>{t('people.col.signer')}</Table.Th>
                <Table.Th>{t('people.col.active')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((u) => (
                <Table.Tr key={u.id} data-testid="person-row" data-active={u.active}>
                  <Table.Td>
                    <Anchor component={Link} to={`/admin/people/${u.id}`} size="sm">
                      {u.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{u.email}</Table.Td>
                  <Table.Td>{t(`role.${u.role}` as MessageKey)}</Table.Td>
                  <Table.Td>{u.clinic?.name ?? t('app.none')}</Table.Td>
                  <Table.Td>{u.signer ? t('people.signer') : t('app.none')}</Table.Td>
                  <Table.Td>
                    <Badge color={u.active ? 'teal' : 'gray'} variant="light">
                      {u.active ? t('people.active') : t('people.inactive')}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {data && data.total > data.pageSize && <Pagination total={Math.ceil(data.total / data.pageSize)} value={page} onChange={(p) => set({ page: p })} />}
      <NewPersonModal opened={creating} onClose={() => setCreating(false)} onCreated={(u) => navigate(`/admin/people/${u.id}`)} />
    </Stack>
  );
}
