import { Autocomplete, Table, Text, TextInput } from '@mantine/core';
import { AnalyteKind, computeFlag, ReportVersionView, ResultRowView } from '@vetlab/shared';
import { KeyboardEvent, useMemo } from 'react';
import { useI18n } from '../i18n/i18n';
import { SECTION_KEY } from '../intake/enum-labels';
import { FlagChip } from './flag-chip';
import { answerOptions, bySection, Edits, isInvalidNumber, shownValue } from './result-draft';

interface Props {
  version: ReportVersionView;
  edits: Edits;
  /** Server messages per analyte id (a 400 naming a row). */
  errors: Record<string, string>;
  readOnly: boolean;
  onChange: (analyteId: string, text: string) => void;
}

/** Enter moves to the next result (then to the observations), like a bench sheet. */
export function focusNextOnEnter(e: KeyboardEvent<HTMLElement>) {
  if (e.key !== 'Enter' || e.shiftKey || e.nativeEvent.isComposing) return;
  e.preventDefault();
  const root = e.currentTarget.closest('[data-result-entry]') ?? document;
  const inputs = [...root.querySelectorAll<HTMLElement>('[data-result-input]')];
  const next = inputs[inputs.indexOf(e.currentTarget) + 1];
  next?.focus();
  if (next instanceof HTMLInputElement) next.select();
}

export function ResultTable({ version, edits, errors, readOnly, onChange }: Props) {
  const { t } = useI18n();
  const groups = useMemo(() => bySection(version.rows), [version.rows]);
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table verticalSpacing={6} withTableBorder aria-label={t('results.tableLabel', { n: version.number })}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('results.col.analyte')}</Table.Th>
            <Table.Th w={260}>{t('results.col.value')}</Table.Th>
            <Table.Th>{t('results.col.unit')}</Table.Th>
            <Table.Th>{t('results.col.range')}</Table.Th>
            <Table.Th w={110}>{t('results.col.flag')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        {groups.map((g) => (
          <Table.Tbody key={g.section}>
            <Table.Tr bg="gray.1">
              <Table.Th colSpan={5} scope="colgroup">
                {t(SECTION_KEY[g.section])}
              </Table.Th>
            </Table.Tr>
            {g.rows.map((row) => (
              <ResultRow
                key={row.id}
                row={row}
                text={shownValue(row, edits)}
                edited={edits[row.analyteId] !== undefined && edits[row.analyteId].trim() !== (row.value ?? '')}
                serverError={errors[row.analyteId]}
                readOnly={readOnly}
                onChange={onChange}
              />
            ))}
          </Table.Tbody>
        ))}
      </Table>
    </Table.ScrollContainer>
  );
}

interface RowProps {
  row: ResultRowView;
  text: string;
  edited: boolean;
  serverError?: string;
  readOnly: boolean;
  onChange: (analyteId: string, text: string) => void;
}

function ResultRow({ row, text, edited, serverError, readOnly, onChange }: RowProps) {
  const { t, locale } = useI18n();
  const invalid = isInvalidNumber(row, text);
  const flag = invalid ? null : computeFlag(row.kind, text, row.range);
  const error = invalid ? t('results.notANumber') : serverError;
  const common = {
    'aria-label': row.name,
    'data-result-input': true,
    'data-testid': `result-${row.code}`,
    value: text,
    error,
    readOnly,
    size: 'xs' as const,
    onKeyDown: focusNextOnEnter,
  };
  return (
    <Table.Tr bg={edited ? 'yellow.0' : undefined} data-testid="result-row" data-code={row.code} data-edited={edited || undefined}>
      <Table.Td>
        <Text size="sm">{row.name}</Text>
        <Text size="xs" c="dimmed" ff="monospace">
          {row.code}
        </Text>
      </Table.Td>
      <Table.Td>
        {row.kind === AnalyteKind.Qualitative ? (
          <Autocomplete {...common} data={answerOptions(row)} onChange={(v) => onChange(row.analyteId, v)} />
        ) : (
          <TextInput {...common} inputMode="decimal" autoComplete="off" onChange={(e) => onChange(row.analyteId, e.currentTarget.value)} />
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm">{row.unit ?? ''}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c="dimmed">
          {rangeText(row, locale)}
        </Text>
      </Table.Td>
      <Table.Td>
        <FlagChip code={row.code} flag={flag} />
      </Table.Td>
    </Table.Tr>
  );
}

function rangeText(row: ResultRowView, locale: string): string {
  const r = row.range;
  if (!r) return '—';
  if (row.kind === AnalyteKind.Qualitative) return r.expected ?? '—';
  const n = (x: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 3, useGrouping: false }).format(x);
  if (r.low != null && r.high != null) return `${n(r.low)}–${n(r.high)}`;
  if (r.low != null) return `≥ ${n(r.low)}`;
  if (r.high != null) return `≤ ${n(r.high)}`;
  return r.expected ?? '—';
}
