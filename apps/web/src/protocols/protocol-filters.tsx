import '@mantine/dates/styles.css';
import 'dayjs/locale/es';
import { Button, CloseButton, Group, MultiSelect, Select, TextInput } from '@mantine/core';
import { DatePickerInput, DatesProvider, DatesRangeValue } from '@mantine/dates';
import { useDebouncedCallback } from '@mantine/hooks';
import { ClinicView, ProtocolStatus, Species, values } from '@vetlab/shared';
import { useEffect, useState } from 'react';
import { usePhone } from '../app/phone';
import { useI18n } from '../i18n/i18n';
import { hasFilters, ProtocolFilters } from './protocol-query';

export const SEARCH_DEBOUNCE_MS = 350;

interface Props {
  value: ProtocolFilters;
  /** `typing` marks changes made while typing, which replace the history entry instead of adding one. */
  onChange: (patch: Partial<ProtocolFilters>, typing?: boolean) => void;
  onClear: () => void;
  /** Staff and admins filter by clinic; a vet only ever sees their own. */
  clinics: ClinicView[] | null;
}

/**
 * The filter bar above the protocol table; every change goes to the URL through onChange. On a
 * phone: the search box across the screen, the other filters one per line behind "Filters (n)".
 */
export function ProtocolFiltersBar({ value, onChange, onClear, clinics }: Props) {
  const { t, locale } = useI18n();
  const phone = usePhone();
  const [more, setMore] = useState(false);
  const set = [value.status.length > 0, !!value.clinicId, !!value.species, !!(value.from || value.to)].filter(Boolean).length;
  /** A field's width: its own on a wide screen, the whole line on a phone. */
  const w = (wide: number) => (phone ? '100%' : wide);
  const [text, setText] = useState(value.q);
  const pushSearch = useDebouncedCallback((q: string) => onChange({ q }, true), SEARCH_DEBOUNCE_MS);

  // The URL changed under us (clear filters, back button): show what it says.
  useEffect(() => {
    if (!pushSearch.isPending()) setText(value.q);
    // Only a new URL value may overwrite the box, not a re-render while the user types.
  }, [value.q]);

  const range: DatesRangeValue<string> = [value.from, value.to];
  const onRange = ([from, to]: DatesRangeValue<string>) => {
    // The first click of a range picks only its start; wait for the end before asking again.
    if (from && !to) return;
    onChange({ from: from ?? null, to: to ?? null });
  };

  return (
    <DatesProvider settings={{ locale }}>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput
          label={t('protocols.filter.search')}
          placeholder={t('protocols.filter.searchHint')}
          value={text}
          w={phone ? undefined : 220}
          style={phone ? { flex: 1 } : undefined}
          onChange={(e) => {
            setText(e.currentTarget.value);
            pushSearch(e.currentTarget.value);
          }}
          onKeyDown={(e) => e.key === 'Enter' && pushSearch.flush()}
          rightSection={
            text ? (
              <CloseButton
                size="sm"
                aria-label={t('app.clear')}
                onClick={() => {
                  pushSearch.cancel();
                  setText('');
                  onChange({ q: '' });
                }}
              />
            ) : null
          }
        />
        {phone && (
          <Button variant="light" onClick={() => setMore((m) => !m)} aria-expanded={more} data-testid="filters-toggle">
            {t('protocols.filter.more', { count: set })}
          </Button>
        )}
        {(!phone || more) && (
          <>
          <MultiSelect
            label={t('protocols.filter.status')}
            placeholder={value.status.length ? undefined : t('protocols.filter.anyStatus')}
            data={values(ProtocolStatus).map((s) => ({ value: s, label: t(`status.${s}`) }))}
            value={value.status}
            onChange={(v) => onChange({ status: v as ProtocolStatus[] })}
            clearable
            miw={phone ? undefined : 190}
            maw={phone ? undefined : 400}
            w={phone ? '100%' : undefined}
            data-testid="filter-status"
          />
          {clinics && (
            <Select
              label={t('protocols.filter.clinic')}
              placeholder={t('protocols.filter.anyClinic')}
              data={clinics.map((c) => ({ value: c.id, label: c.name }))}
              value={value.clinicId}
              onChange={(v) => onChange({ clinicId: v })}
              clearable
              searchable
              w={w(230)}
              data-testid="filter-clinic"
            />
          )}
          <Select
            label={t('protocols.filter.species')}
            placeholder={t('protocols.filter.anySpecies')}
            data={values(Species).map((s) => ({ value: s, label: t(`species.${s}`) }))}
            value={value.species}
            onChange={(v) => onChange({ species: v as Species | null })}
            clearable
            w={w(150)}
            data-testid="filter-species"
          />
          <DatePickerInput
            type="range"
            label={t('protocols.filter.dates')}
            placeholder={t('protocols.filter.anyDate')}
            value={range}
            onChange={onRange}
            valueFormat="DD/MM/YY"
            allowSingleDateInRange
            clearable
            w={w(200)}
            data-testid="filter-dates"
          />
          </>
        )}
        {hasFilters(value) && (
          <Button variant="subtle" onClick={onClear}>
            {t('protocols.filter.clear')}
          </Button>
        )}
      </Group>
    </DatesProvider>
  );
}
