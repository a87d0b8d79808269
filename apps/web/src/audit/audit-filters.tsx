import '@mantine/dates/styles.css';
import 'dayjs/locale/es';
import { Button, Group, Select, TextInput } from '@mantine/core';
import { DatePickerInput, DatesProvider, DatesRangeValue } from '@mantine/dates';
import { useQuery } from '@tanstack/react-query';
import { AuditAction, AuditEntity, isId, LAB_RECORD_ENTITIES, values } from '@vetlab/shared';
import { useEffect, useState } from 'react';
import { useApi } from '../app/providers';
import { useI18n } from '../i18n/i18n';
import { auditKeys, listPeople } from './audit-api';
import { actionLabel, entityLabel } from './audit-labels';

export const AUDIT_FILTERS = ['actorId', 'entity', 'entityId', 'action', 'from', 'to'] as const;
export type AuditFilters = Record<(typeof AUDIT_FILTERS)[number], string | null>;

/** Who did it: a picker of people, for admins only (the list of people is theirs to read). */
function WhoFilter({ value, onChange }: { value: string | null; onChange: (v: string | null) => void }) {
  const { t } = useI18n();
  const api = useApi();
  const people = useQuery({ queryKey: auditKeys.people, queryFn: () => listPeople(api), staleTime: 5 * 60_000 });
  return (
    <Select
      label={t('audit.filter.who')}
      placeholder={t('audit.filter.any')}
      data={(people.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
      value={value}
      onChange={onChange}
      clearable
      searchable
      w={200}
      data-testid="audit-filter-who"
    />
  );
}

/**
 * The trail's filters, every change in the URL. Staff choose among the lab's records only and get no
 * person picker; dates are whole days in the reader's time zone.
 */
export function AuditFiltersBar({ value, onChange, admin }: { value: AuditFilters; onChange: (patch: Partial<AuditFilters>) => void; admin: boolean }) {
  const { t, locale } = useI18n();
  const [id, setId] = useState(value.entityId ?? '');
  useEffect(() => setId(value.entityId ?? ''), [value.entityId]);
  const idInvalid = id.trim() !== '' && !isId(id.trim());
  const pushId = (text: string) => {
    const v = text.trim();
    if (v === '' || isId(v)) onChange({ entityId: v || null });
  };
  const onRange = ([from, to]: DatesRangeValue<string>) => {
    if (from && !to) return;
    onChange({ from: from ?? null, to: to ?? null });
  };
  const kinds = admin ? values(AuditEntity) : LAB_RECORD_ENTITIES;
  const any = t('audit.filter.any');
  return (
    <DatesProvider settings={{ locale }}>
      <Group align="flex-start" gap="sm" wrap="wrap">
        {admin && <WhoFilter value={value.actorId} onChange={(v) => onChange({ actorId: v })} />}
        <Select
          label={t('audit.filter.entity')}
          placeholder={any}
          data={kinds.map((k) => ({ value: k, label: entityLabel(t, k) }))}
          value={value.entity}
          onChange={(v) => onChange({ entity: v })}
          clearable
          w={180}
          data-testid="audit-filter-entity"
        />
        <TextInput
          label={t('audit.filter.entityId')}
          placeholder={t('audit.filter.entityIdHint')}
          value={id}
          error={idInvalid ? t('audit.filter.entityIdInvalid') : undefined}
          w={300}
          onChange={(e) => {
            setId(e.currentTarget.value);
            pushId(e.currentTarget.value);
          }}
          data-testid="audit-filter-id"
        />
        <Select
          label={t('audit.filter.action')}
          placeholder={any}
          data={values(AuditAction).map((a) => ({ value: a, label: actionLabel(t, a) }))}
          value={value.action}
          onChange={(v) => onChange({ action: v })}
          clearable
          searchable
          w={220}
          data-testid="audit-filter-action"
        />
        <DatePickerInput
          type="range"
          label={t('audit.filter.dates')}
          placeholder={any}
          value={[value.from, value.to]}
          onChange={onRange}
          valueFormat="DD/MM/YY"
          allowSingleDateInRange
          clearable
          w={200}
        />
        {Object.values(value).some(Boolean) && (
          <Button variant="subtle" mt={25} onClick={() => onChange(Object.fromEntries(AUDIT_FILTERS.map((k) => [k, null])))}>
            {t('app.clear')}
          </Button>
        )}
      </Group>
    </DatesProvider>
  );
}
