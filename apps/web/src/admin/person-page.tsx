import { Alert, Badge, Button, Checkbox, Group, Loader, Paper, Select, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AuditEntity, Role, UpdateUserRequest, UserView } from '@vetlab/shared';
import { FormEvent, useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { ApiError } from '../api/api-client';
import { useApi, useSession } from '../app/providers';
import { HistoryTab } from '../audit/history-tab';
import type { MessageKey } from '../i18n/catalogue';
import { useT } from '../i18n/i18n';
import { serverFieldErrors } from '../intake/form-errors';
import { errorMessage, notifyError, notifySuccess } from '../notifications/notify';
import { ConfirmButton } from '../ops/confirm-button';
import { useFormatters } from '../protocols/format';
import { useClinics } from '../protocols/protocol-queries';
import { getPerson, peopleKeys, sendPasswordLink, updatePerson } from './people-api';
import { SignatureCard } from './signature-card';

/** /admin/people/:id: a person's data (editable), activity, password link, signature and history. */
export function PersonPage() {
  const api = useApi();
  const t = useT();
  const { id = '' } = useParams();
  const person = useQuery({ queryKey: peopleKeys.one(id), queryFn: () => getPerson(api, id), retry: false });
  if (person.isPending) return <Loader aria-label={t('app.loading')} />;
  if (person.error) {
    return <Text c={person.error instanceof ApiError && person.error.status === 404 ? 'dimmed' : 'red'}>{person.error instanceof ApiError && person.error.status === 404 ? t('people.notFound') : errorMessage(t, person.error)}</Text>;
  }
  return <Person user={person.data} />;
}

function Person({ user }: { user: UserView }) {
  const api = useApi();
  const t = useT();
  const fmt = useFormatters();
  const session = useSession();
  const queryClient = useQueryClient();
  const self = session?.user.id === user.id;
  const clinics = useClinics(user.role === Role.Vet);
  const [name, setName] = useState(user.name);
  const [signer, setSigner] = useState(user.signer);
  const [clinicId, setClinicId] = useState(user.clinic?.id ?? null);
  const [linkExpiry, setLinkExpiry] = useState<string | null>(null);
  useEffect(() => {
    setName(user.name);
    setSigner(user.signer);
    setClinicId(user.clinic?.id ?? null);
  }, [user]);

  const changed = (u: UserView) => {
    queryClient.setQueryData(peopleKeys.one(u.id), u);
    void queryClient.invalidateQueries({ queryKey: peopleKeys.all });
  };
  const save = useMutation({
    mutationFn: (body: UpdateUserRequest) => updatePerson(api, user.id, body),
    onSuccess: (u) => {
      changed(u);
      notifySuccess(t('people.saved'));
    },
  });
  const activity = useMutation({
    mutationFn: (active: boolean) => updatePerson(api, user.id, { active }),
    onSuccess: changed,
    onError: (e) => notifyError(t, e),
  });
  const link = useMutation({
    mutationFn: () => sendPasswordLink(api, user.id),
    onSuccess: (v) => setLinkExpiry(v.expiresAt),
    onError: (e) => notifyError(t, e),
  });
  const fields = serverFieldErrors(t, save.error)?.fields ?? {};

  function submit(e: FormEvent) {
    e.preventDefault();
    const body: UpdateUserRequest = {};
    if (name.trim() !== user.name) body.name = name.trim();
    if (user.role === Role.Staff && !self && signer !== user.signer) body.signer = signer;
    if (user.role === Role.Vet && clinicId && clinicId !== user.clinic?.id) body.clinicId = clinicId;
    if (Object.keys(body).length) save.mutate(body);
  }

  return (
    <Stack gap="md" maw={760}>
      <Group gap="sm" align="baseline">
        <Title order={2} data-testid="person-title">
          {user.name}
        </Title>
        <Badge variant="light">{t(`role.${user.role}` as MessageKey)}</Badge>
        <Badge color={user.active ? 'teal' : 'gray'} variant="light" data-testid="person-status">
          {user.active ? t('people.active') : t('people.inactive')}
        </Badge>
      </Group>
      <Text size="sm" c="dimmed">
        {user.email} · {t('people.since', { date: fmt.date(user.createdAt) })}
      </Text>
      <Tabs defaultValue="details" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="details">{t('people.tab.details')}</Tabs.Tab>
          <Tabs.Tab value="history" data-testid="person-history-tab">
            {t('people.tab.history')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="details" pt="md">
          <Stack gap="md">
            <Paper withBorder p="md">
              <form onSubmit={submit} noValidate>
                <Stack gap="sm">
                  <TextInput label={t('people.field.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={fields.name} data-testid="edit-name" />
                  {user.role === Role.Vet && (
                    <Select
                      label={t('people.field.clinic')}
                      data={(clinics.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
                      value={clinicId}
                      onChange={setClinicId}
                      error={fields.clinicId}
                      searchable
                      data-testid="edit-clinic"
                    />
                  )}
                  {user.role === Role.Staff && (
                    <Checkbox label={t('people.field.signer')} checked={signer} disabled={self} onChange={(e) => setSigner(e.currentTarget.checked)} data-testid="edit-signer" />
                  )}
                  {save.error && !Object.keys(fields).length && (
                    <Alert color="red" variant="light" role="alert" p="xs">
                      {errorMessage(t, save.error)}
                    </Alert>
                  )}
                  <Group justify="flex-end">
                    <Button type="submit" loading={save.isPending} data-testid="save-person">
                      {t('app.save')}
                    </Button>
                  </Group>
                </Stack>
              </form>
            </Paper>
            <Paper withBorder p="md">
              <Stack gap="sm">
                <Group justify="space-between">
                  <Stack gap={2}>
                    <Text fw={600}>{t('people.link.send')}</Text>
                    <Text size="xs" c="dimmed">
                      {t('people.link.hint')}
                    </Text>
                  </Stack>
                  <Button variant="light" loading={link.isPending} onClick={() => link.mutate()} data-testid="send-link">
                    {t('people.link.send')}
                  </Button>
                </Group>
                {linkExpiry && (
                  <Alert color="teal" variant="light" p="xs" data-testid="link-sent">
                    {t('people.link.sent', { date: fmt.dateTime(linkExpiry) })}
                  </Alert>
                )}
              </Stack>
            </Paper>
            {user.role === Role.Staff && user.signer && <SignatureCard user={user} onChanged={changed} />}
            {self ? (
              <Text size="sm" c="dimmed">
                {t('people.self')}
              </Text>
            ) : user.active ? (
              <ConfirmButton
                color="red"
                variant="light"
                label={t('people.deactivate')}
                question={t('people.deactivate.confirm', { name: user.name })}
                onConfirm={() => activity.mutate(false)}
                loading={activity.isPending}
                data-testid="deactivate"
                style={{ alignSelf: 'flex-start' }}
              />
            ) : (
              <ConfirmButton
                variant="light"
                label={t('people.reactivate')}
                question={t('people.reactivate.confirm', { name: user.name })}
                onConfirm={() => activity.mutate(true)}
                loading={activity.isPending}
                data-testid="reactivate"
                style={{ alignSelf: 'flex-start' }}
              />
            )}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="history" pt="md">
          <HistoryTab entity={AuditEntity.User} entityId={user.id} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
