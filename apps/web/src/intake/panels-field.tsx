import { Badge, Group, MultiSelect, Stack, Text } from '@mantine/core';
import type { CatalogueView } from '@vetlab/shared';
import { useMemo } from 'react';
import { useI18n } from '../i18n/i18n';
import { plural } from '../i18n/plural';

interface Props {
  catalogue: CatalogueView | undefined;
  loading: boolean;
  value: string[];
  onChange: (ids: string[]) => void;
  error?: React.ReactNode;
}

/** Panels from the catalogue; each option and each chosen panel says which analyses it brings. */
export function PanelsField({ catalogue, loading, value, onChange, error }: Props) {
  const { t, locale } = useI18n();
  const analyteName = useMemo(() => new Map(catalogue?.analytes.map((a) => [a.id, a.name]) ?? []), [catalogue]);
  const panels = useMemo(() => new Map(catalogue?.panels.map((p) => [p.id, p]) ?? []), [catalogue]);
  const data = (catalogue?.panels ?? []).map((p) => ({ value: p.id, label: `${p.name} (${p.code})` }));
  const chosen = value.flatMap((id) => panels.get(id) ?? []);
  const distinct = new Set(chosen.flatMap((p) => p.analyteIds)).size;

  return (
    <Stack gap="xs">
      <MultiSelect
        label={t('submit.panels')}
        placeholder={loading ? t('app.loading') : t('submit.panelsPlaceholder')}
        data={data}
        value={value}
        onChange={onChange}
        error={error}
        searchable
        hidePickedOptions
        maxValues={20}
        nothingFoundMessage={t('submit.panelsNone')}
        disabled={loading}
        withAsterisk
        renderOption={({ option }) => {
          const p = panels.get(option.value);
          return (
            <div>
              <Text size="sm">{option.label}</Text>
              <Text size="xs" c="dimmed" lineClamp={1}>
                {plural(t, locale, 'submit.panelAnalytes', p?.analyteIds.length ?? 0)}:{' '}
                {p?.analyteIds.map((id) => analyteName.get(id)).join(', ')}
              </Text>
            </div>
          );
        }}
      />
      {chosen.length > 0 && (
        <Stack gap={6} data-testid="chosen-panels">
          {chosen.map((p) => (
            <div key={p.id}>
              <Group gap="xs">
                <Text size="sm" fw={600}>
                  {p.name}
                </Text>
                <Badge size="sm" variant="light">
                  {plural(t, locale, 'submit.panelAnalytes', p.analyteIds.length)}
                </Badge>
              </Group>
              <Text size="xs" c="dimmed">
                {p.analyteIds.map((id) => analyteName.get(id)).join(', ')}
              </Text>
            </div>
          ))}
          <Text size="sm">{plural(t, locale, 'submit.distinctAnalytes', distinct)}</Text>
        </Stack>
      )}
    </Stack>
  );
}
