import { Alert, Button, Checkbox, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CreateUserRequest, FieldErrorCode, Role, UserView, values } from '@vetlab/shared';
import { FormEvent, useMemo, useState } from 'react';
import { useApi } from '../app/providers';
import type { MessageKey } from '../i18n/catalogue';
import { useT } from '../i18n/i18n';
import type { Translate } from '../i18n/i18n';
import { issueMessage, serverFieldErrors } from '../intake/form-errors';
import { errorMessage, fieldErrorText, notifySuccess } from '../notifications/notify';
import { useClinics } from '../protocols/protocol-queries';
import { createPerson, peopleKeys } from './people-api';

interface Draft {
  email: string;
  name: string;
  role: Role | null;
  clinicId: string | null;
  signer: boolean;
}
const EMPTY: Draft = { email: '', name: '', role: null, clinicId: null, signer: false };

/** The body the form would send: a clinic only for vets, the signer flag only for staff. */
const bodyOf = (d: Draft) => ({
  email: d.email.trim(),
  name: d.name,
  role: d.role ?? undefined,
  ...(d.role === Role.Vet ? { clinicId: d.clinicId } : {}),
  ...(d.role === Role.Staff ? { signer: d.signer } : {}),
});

/** The shared schema's verdict on the draft, per field, in the reader's words (a refinement's own code says what). */
export function draftErrors(t: Translate, d: Draft): Record<string, string> {
  const input = bodyOf(d);
  const parsed = CreateUserRequest.safeParse(input);
  const out: Record<string, string> = {};
  if (parsed.success) return out;
  for (const issue of parsed.error.issues) {
    const field = issue.path.map(String).join('.');
    const code = issue.code === 'custom' ? (issue.params as { code?: FieldErrorCode } | undefined)?.code : undefined;
    out[field] ??= code ? fieldErrorText(t, { code }) : issueMessage(t, issue, input);
  }
  return out;
}

/** "Nueva persona": role first; a clinic only for vets, the signer flag only for staff. */
export function NewPersonModal({ opened, onClose, onCreated }: { opened: boolean; onClose: () => void; onCreated?: (u: UserView) => void }) {
  const api = useApi();
  const t = useT();
  const queryClient = useQueryClient();
  const clinics = useClinics(opened);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [tried, setTried] = useState(false);
  const errors = useMemo(() => draftErrors(t, draft), [t, draft]);
  const create = useMutation({
    mutationFn: () => createPerson(api, CreateUserRequest.parse(bodyOf(draft))),
    onSuccess: (user) => {
      void queryClient.invalidateQueries({ queryKey: peopleKeys.all });
      notifySuccess(t('people.created', { name: user.name }));
      reset();
      onCreated?.(user);
    },
  });
  const server = serverFieldErrors(t, create.error);
  const shown = (field: string) => (tried || touched.has(field) ? errors[field] : undefined) ?? server?.fields[field];
  const set = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setTouched((s) => new Set([...s, ...Object.keys(patch)]));
    create.reset();
  };
  function reset() {
    setDraft(EMPTY);
    setTouched(new Set());
    setTried(false);
    create.reset();
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    setTried(true);
    if (!Object.keys(errors).length) create.mutate();
  }

  return (
    <Modal
      opened={opened}
      onClose={() => {
        reset();
        onClose();
      }}
      title={t('people.new')}
    >
      <form onSubmit={submit} noValidate data-testid="new-person-form">
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('people.createHint')}
          </Text>
          <TextInput label={t('people.field.name')} value={draft.name} onChange={(e) => set({ name: e.currentTarget.value })} error={shown('name')} data-testid="person-name" />
          <TextInput label={t('people.field.email')} type="email" value={draft.email} onChange={(e) => set({ email: e.currentTarget.value })} error={shown('email')} data-testid="person-email" />
          <Select
            label={t('people.field.role')}
            data={values(Role).map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }))}
            value={draft.role}
            onChange={(v) => set({ role: v as Role | null, clinicId: null, signer: false })}
            error={shown('role')}
            data-testid="person-role"
            comboboxProps={{ withinPortal: false }}
          />
          {draft.role === Role.Vet && (
            <Select
              label={t('people.field.clinic')}
              data={(clinics.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
              value={draft.clinicId}
              onChange={(v) => set({ clinicId: v })}
              error={shown('clinicId')}
              searchable
              data-testid="person-clinic"
              comboboxProps={{ withinPortal: false }}
            />
          )}
          {draft.role === Role.Staff && (
            <Checkbox label={t('people.field.signer')} checked={draft.signer} onChange={(e) => set({ signer: e.currentTarget.checked })} data-testid="person-signer" />
          )}
          {create.error && !server?.fields && (
            <Alert color="red" variant="light" role="alert" p="xs">
              {errorMessage(t, create.error)}
            </Alert>
          )}
          {server?.other.map((m) => (
            <Alert key={m} color="red" variant="light" p="xs">
              {m}
            </Alert>
          ))}
          <Group justify="flex-end">
            <Button type="submit" loading={create.isPending} data-testid="create-person">
              {t('people.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
