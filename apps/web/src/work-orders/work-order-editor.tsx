import { Badge, Button, Group, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Priority, Role, Section, UpdateWorkOrderRequest, WorkOrderView } from '@vetlab/shared';
import { useEffect, useState } from 'react';
import { useApi, useSession } from '../app/providers';
import { useI18n } from '../i18n/i18n';
import { plural } from '../i18n/plural';
import { enumOptions, PRIORITY_KEY, SAMPLE_KEY, SECTION_KEY } from '../intake/enum-labels';
import { isStale, issuesToErrors, serverFieldErrors } from '../intake/form-errors';
import { notifyError, notifySuccess } from '../notifications/notify';
import { useFormatters } from '../protocols/format';
import { ConflictModal } from '../results/conflict-modal';

interface Values {
  priority: Priority;
  instructions: string;
  requirements: Partial<Record<Section, string>>;
}

const valuesOf = (wo: WorkOrderView): Values => ({
  priority: wo.priority,
  instructions: wo.instructions ?? '',
  requirements: Object.fromEntries(wo.sections.map((s) => [s.section, s.requirement])),
});

/** The edit as the API takes it: only what changed, against the content version it started from. */
export function toUpdateRequest(base: WorkOrderView, v: Values): UpdateWorkOrderRequest {
  const instructions = v.instructions.trim() || null;
  const requirements = base.sections
    .filter((s) => (v.requirements[s.section] ?? '').trim() !== s.requirement)
    .map((s) => ({ section: s.section, requirement: (v.requirements[s.section] ?? '').trim() }));
  return {
    contentVersion: base.contentVersion,
    ...(v.priority !== base.priority ? { priority: v.priority } : {}),
    ...(instructions !== (base.instructions ?? null) ? { instructions } : {}),
    ...(requirements.length ? { requirements } : {}),
  };
}

/** Staff edit a work order: priority, bench instructions and each section's sample requirement. */
export function WorkOrderEditor({ workOrder }: { workOrder: WorkOrderView }) {
  const { t, locale } = useI18n();
  const fmt = useFormatters();
  const api = useApi();
  const qc = useQueryClient();
  const readOnly = useSession()?.user.role === Role.Vet;
  // The version the form was filled from: the optimistic lock sent with the save.
  const [base, setBase] = useState(workOrder);
  const [conflict, setConflict] = useState(false);
  const [reloading, setReloading] = useState(false);
  const form = useForm<Values>({ mode: 'controlled', initialValues: valuesOf(workOrder) });
  const dirty = form.isDirty();

  const adopt = (wo: WorkOrderView, keepMine = false) => {
    setBase(wo);
    form.setInitialValues(valuesOf(wo));
    if (!keepMine) form.setValues(valuesOf(wo));
    form.clearErrors();
  };

  // A newer version from outside (refetch, another tab) replaces an untouched form only.
  useEffect(() => {
    if (workOrder.id !== base.id || (workOrder.contentVersion > base.contentVersion && !form.isDirty())) adopt(workOrder);
    // Only when the version from outside changes; adopt and the form are stable enough for this.
  }, [workOrder.id, workOrder.contentVersion]);

  const save = useMutation({
    mutationFn: (body: UpdateWorkOrderRequest) => api.patch<WorkOrderView>(`/work-orders/${base.id}`, body),
  });

  const formPath = (sent: UpdateWorkOrderRequest) => (path: string) => {
    const m = /^requirements\.(\d+)\.\w+$/.exec(path);
    if (m) return sent.requirements?.[Number(m[1])] ? `requirements.${sent.requirements[Number(m[1])].section}` : null;
    return path === 'priority' || path === 'instructions' ? path : null;
  };

  const submit = form.onSubmit((values) => {
    const body = toUpdateRequest(base, values);
    const parsed = UpdateWorkOrderRequest.safeParse(body);
    if (!parsed.success) return form.setErrors(issuesToErrors(t, parsed.error, body, formPath(body)).fields);
    save.mutate(body, {
      onSuccess: (saved) => {
        adopt(saved);
        qc.setQueryData(['work-order', saved.id], saved);
        notifySuccess(t('woEdit.saved', { n: saved.contentVersion }));
      },
      onError: (err) => {
        if (isStale(err)) return setConflict(true);
        const mapped = serverFieldErrors(t, err, formPath(body));
        if (mapped && !mapped.other.length) return form.setErrors(mapped.fields);
        notifyError(t, err, t('woEdit.saveFailed'));
      },
    });
  });

  const reload = async (keepMine: boolean) => {
    setReloading(true);
    try {
      const current = await api.get<WorkOrderView>(`/work-orders/${base.id}`);
      qc.setQueryData(['work-order', current.id], current);
      adopt(current, keepMine);
      setConflict(false);
      if (keepMine) notifySuccess(t('woEdit.reapplied', { n: current.contentVersion }));
    } catch (err) {
      notifyError(t, err);
    } finally {
      setReloading(false);
    }
  };

  const updated = fmt.dateTime(base.updatedAt);
  return (
    <form onSubmit={submit} noValidate data-testid="work-order-editor">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={4}>{t('woEdit.title')}</Title>
          <Group gap="xs">
            <Badge variant="light" data-testid="content-version">
              {t('woEdit.version', { n: base.contentVersion })}
            </Badge>
            <Text size="xs" c="dimmed">
              {t('woEdit.updated', { date: updated })}
            </Text>
          </Group>
        </Group>
        <Select
          label={t('woEdit.priority')}
          data={enumOptions(PRIORITY_KEY, t)}
          allowDeselect={false}
          readOnly={readOnly}
          w={240}
          {...form.getInputProps('priority')}
        />
        <Textarea
          label={t('woEdit.instructions')}
          description={t('woEdit.instructionsHint')}
          autosize
          minRows={2}
          maxLength={2000}
          readOnly={readOnly}
          {...form.getInputProps('instructions')}
        />
        {base.sections.map((s) => (
          <TextInput
            key={s.section}
            label={`${t(SECTION_KEY[s.section])} · ${t(SAMPLE_KEY[s.sampleType])}`}
            description={plural(t, locale, 'woEdit.sectionAnalytes', s.analytes.length, { names: s.analytes.map((a) => a.name).join(', ') })}
            maxLength={300}
            readOnly={readOnly}
            {...form.getInputProps(`requirements.${s.section}`)}
          />
        ))}
        {!readOnly && (
          <Group>
            <Button type="submit" disabled={!dirty} loading={save.isPending}>
              {t('woEdit.save')}
            </Button>
            <Button variant="default" disabled={!dirty || save.isPending} onClick={() => form.setValues(valuesOf(base))}>
              {t('woEdit.discard')}
            </Button>
          </Group>
        )}
      </Stack>
      <ConflictModal
        opened={conflict}
        message={t('woEdit.conflict')}
        pending={changeCount(toUpdateRequest(base, form.values))}
        busy={reloading}
        discardLabel={t('woEdit.conflictTheirs')}
        keepLabel={t('woEdit.conflictMine')}
        onDiscard={() => void reload(false)}
        onKeepMine={() => void reload(true)}
        onClose={() => setConflict(false)}
      />
    </form>
  );
}

const changeCount = (r: UpdateWorkOrderRequest) =>
  (r.priority !== undefined ? 1 : 0) + (r.instructions !== undefined ? 1 : 0) + (r.requirements?.length ?? 0);
