import { Alert, Button, Fieldset, Group, Input, SegmentedControl, Select, SimpleGrid, Stack, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CatalogueView, ClinicView, Page, Priority, ProtocolDetail, Role, UserView } from '@vetlab/shared';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../api/api-client';
import { useApi, useSession } from '../app/providers';
import { useT } from '../i18n/i18n';
import { notifyError, notifySuccess } from '../notifications/notify';
import { enumOptions, PRIORITY_KEY } from './enum-labels';
import { serverFieldErrors } from './form-errors';
import { PanelsField } from './panels-field';
import { AnimalFields, OwnerFields, SamplesField } from './protocol-form-fields';
import { emptyProtocolForm, protocolFormPath, ProtocolFormValues, toCreateRequest, validateProtocolForm } from './protocol-form';

/** Route /protocols/new: a vet submits for their clinic; staff and admins submit on a clinic's behalf. */
export function SubmitProtocolPage() {
  const t = useT();
  const api = useApi();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const session = useSession();
  const lab = session !== null && session.user.role !== Role.Vet;
  const [otherErrors, setOtherErrors] = useState<string[]>([]);

  const form = useForm<ProtocolFormValues>({ mode: 'controlled', initialValues: emptyProtocolForm() });
  const clinicId = form.values.clinicId;

  const catalogue = useQuery({ queryKey: ['catalogue'], queryFn: () => api.get<CatalogueView>('/catalogue'), staleTime: 10 * 60_000 });
  const clinics = useQuery({ queryKey: ['clinics'], queryFn: () => api.get<ClinicView[]>('/clinics'), enabled: lab });
  // Listing vets is admin-only on the API; for staff the call answers 403 and the selector is left out.
  const vets = useQuery({
    queryKey: ['users', 'vets', clinicId],
    queryFn: () => api.get<Page<UserView>>('/users', { role: Role.Vet, clinicId, pageSize: 200 }),
    enabled: lab && !!clinicId,
  });
  const vetsForbidden = vets.error instanceof ApiError && vets.error.status === 403;

  const submit = useMutation({
    mutationFn: (values: ProtocolFormValues) => api.post<ProtocolDetail>('/protocols', toCreateRequest(values)),
    onSuccess: (p) => {
      qc.setQueryData(['protocol', p.id], p);
      void qc.invalidateQueries({ queryKey: ['protocols'] });
      notifySuccess(t('submit.created', { code: p.code }), t('submit.createdTitle'));
      void navigate(`/protocols/${p.id}`);
    },
    onError: (err) => {
      const mapped = serverFieldErrors(t, err, protocolFormPath);
      if (!mapped) return notifyError(t, err, t('submit.failed'));
      form.setErrors(mapped.fields);
      setOtherErrors(mapped.other);
      focusFirstError();
    },
  });

  const onSubmit = form.onSubmit((values) => {
    const errors = validateProtocolForm(values, t, { needsClinic: lab });
    setOtherErrors(errors.other);
    if (Object.keys(errors.fields).length || errors.other.length) {
      form.setErrors(errors.fields);
      focusFirstError();
      return;
    }
    submit.mutate(values);
  });

  const vetOptions = (vets.data?.items ?? []).filter((u) => u.active).map((u) => ({ value: u.id, label: u.name }));

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="submit-title">
      <Stack maw={980} gap="md">
        <Title order={2} id="submit-title">
          {t('submit.title')}
        </Title>
        {otherErrors.length > 0 && (
          <Alert color="red" title={t('submit.checkForm')} role="alert">
            {otherErrors.map((m) => (
              <div key={m}>{m}</div>
            ))}
          </Alert>
        )}
        {lab && (
          <Fieldset legend={t('submit.clinicSection')}>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Select
                label={t('submit.clinic')}
                withAsterisk
                searchable
                placeholder={clinics.isLoading ? t('app.loading') : t('submit.choose')}
                data={(clinics.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
                {...form.getInputProps('clinicId')}
                onChange={(v) => {
                  form.setFieldValue('clinicId', v);
                  form.setFieldValue('vetId', null);
                }}
              />
              {!vetsForbidden && (
                <Select
                  label={t('submit.vet')}
                  placeholder={clinicId ? t('submit.vetNone') : t('submit.vetChooseClinic')}
                  data={vetOptions}
                  disabled={!clinicId || vets.isLoading}
                  clearable
                  {...form.getInputProps('vetId')}
                />
              )}
            </SimpleGrid>
          </Fieldset>
        )}
        <Fieldset legend={t('submit.animalSection')}>
          <AnimalFields form={form} />
        </Fieldset>
        <Fieldset legend={t('submit.ownerSection')}>
          <OwnerFields form={form} />
        </Fieldset>
        <Fieldset legend={t('submit.samplesSection')}>
          <SamplesField form={form} />
        </Fieldset>
        <Fieldset legend={t('submit.panelsSection')}>
          <PanelsField
            catalogue={catalogue.data}
            loading={catalogue.isLoading}
            value={form.values.panelIds}
            onChange={(ids) => form.setFieldValue('panelIds', ids)}
            error={form.errors.panelIds}
          />
          {catalogue.isError && (
            <Alert color="red" mt="xs">
              {t('submit.catalogueFailed')}{' '}
              <Button size="compact-xs" variant="subtle" onClick={() => void catalogue.refetch()}>
                {t('app.retry')}
              </Button>
            </Alert>
          )}
        </Fieldset>
        <Fieldset legend={t('submit.moreSection')}>
          <Stack>
            <Input.Wrapper label={t('submit.priority')} error={form.errors.priority}>
              <div>
                <SegmentedControl
                  aria-label={t('submit.priority')}
                  data={enumOptions(PRIORITY_KEY, t)}
                  value={form.values.priority}
                  onChange={(v) => form.setFieldValue('priority', v as Priority)}
                />
              </div>
            </Input.Wrapper>
            <Textarea label={t('submit.notes')} autosize minRows={3} maxLength={2000} {...form.getInputProps('notes')} />
          </Stack>
        </Fieldset>
        <Group justify="flex-end">
          <Button variant="default" component={Link} to="/protocols">
            {t('app.cancel')}
          </Button>
          <Button type="submit" loading={submit.isPending}>
            {t('submit.send')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** After the errors render: bring the first one into view and give it the focus. */
function focusFirstError() {
  requestAnimationFrame(() => {
    const el = document.querySelector<HTMLElement>('[aria-invalid="true"]');
    el?.scrollIntoView?.({ block: 'center' });
    el?.focus();
  });
}
