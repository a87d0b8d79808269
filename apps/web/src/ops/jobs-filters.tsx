import '@mantine/dates/styles.css';
import 'dayjs/locale/es';
import { Button, Group, Select, TextInput } from '@mantine/core';
import { DatePickerInput, DatesProvider, DatesRangeValue } from '@mantine/dates';
import { useDebouncedCallback } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { JobKind, JobState, QueueName, values } from '@vetlab/shared';
import { useEffect, useState } from 'react';
import { useApi } from '../app/providers';
import { useI18n } from '../i18n/i18n';
import { SEARCH_DEBOUNCE_MS } from '../protocols/protocol-filters';
import { listLabPeople, opsKeys } from './ops-api';
import { kindLabel, queueLabel, stateLabel } from './labels';

export const JOB_FILTERS = ['queue', 'state', 'kind', 'subject', 'createdBy', 'from', 'to'] as const;
export type JobFilters = Record<(typeof JOB_FILTERS)[number], string | null>;

/** The jobs list's filters; every change goes to the URL. */
export function JobsFiltersBar({ value, onChange }: { value: JobFilters; onChange: (patch: Partial<JobFilters>) => void }) {
  const { t, locale } = useI18n();
  const api = useApi();
  const people = useQuery({ queryKey: opsKeys.staff, queryFn: () => listLabPeople(api), staleTime: 5 * 60_000 });
  const [text, setText] = useState(value.subject ?? '');
  const pushSubject = useDebouncedCallback((subject: string) => onChange({ subject: subject.trim() || null }), SEARCH_DEBOUNCE_MS);
  useEffect(() => {
    if (!pushSubject.isPending()) setText(value.subject ?? '');
    // Only a new URL value may overwrite the box, not a re-render while the user types.
  }, [value.subject]);
  const onRange = ([from, to]: DatesRangeValue<string>) => {
    if (from && !to) return;
    onChange({ from: from ?? null, to: to ?? null });
  };
  const any = t('ops.jobs.any');
  const hasAny = Object.values(value).some((v) => v);
  return (
    <DatesProvider settings={{ locale }}>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label={t('ops.jobs.queue')}
          placeholder={any}
          data={values(QueueName).map((q) => ({ value: q, label: queueLabel(t, q) }))}
          value={value.queue}
          onChange={(v) => onChange({ queue: v })}
          clearable
          w={170}
          data-testid="jobs-filter-queue"
        />
        <Select
          label={t('ops.jobs.state')}
          placeholder={any}
          data={values(JobState).map((s) => ({ value: s, label: stateLabel(t, s) }))}
          value={value.state}
          onChange={(v) => onChange({ state: v })}
          clearable
          w={150}
          data-testid="jobs-filter-state"
        />
        <Select
          label={t('ops.jobs.kind')}
          placeholder={any}
          data={values(JobKind).map((k) => ({ value: k, label: kindLabel(t, k) }))}
          value={value.kind}
          onChange={(v) => onChange({ kind: v })}
          clearable
          w={180}
        />
        <TextInput
          label={t('ops.jobs.subject')}
          placeholder={t('ops.jobs.subjectHint')}
          value={text}
          w={200}
          onChange={(e) => {
            setText(e.currentTarget.value);
            pushSubject(e.currentTarget.value);
          }}
          onKeyDown={(e) => e.key === 'Enter' && pushSubject.flush()}
        />
        <Select
          label={t('ops.jobs.who')}
          placeholder={any}
          data={(people.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
          value={value.createdBy}
          onChange={(v) => onChange({ createdBy: v })}
          clearable
          searchable
          w={200}
        />
        <DatePickerInput
          type="range"
          label={`${t('ops.jobs.from')} – ${t('ops.jobs.to')}`}
          placeholder={any}
          value={[value.from, value.to]}
          onChange={onRange}
          valueFormat="DD/MM/YY"
          allowSingleDateInRange
          clearable
          w={200}
        />
        {hasAny && (
          <Button variant="subtle" onClick={() => onChange(Object.fromEntries(JOB_FILTERS.map((k) => [k, null])))}>
            {t('app.clear')}
          </Button>
        )}
      </Group>
    </DatesProvider>
  );
}
