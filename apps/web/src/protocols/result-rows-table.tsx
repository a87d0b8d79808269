import { Table, Text } from '@mantine/core';
import type { ReferenceRange, ResultRowView, Section } from '@vetlab/shared';
import { Fragment, useMemo } from 'react';
import { useI18n } from '../i18n/i18n';
// The same chip as result entry, so a flag looks alike while typing and once reported.
import { FlagChip } from '../results/flag-chip';

/** "5–10", "≥ 5", "≤ 10", or the expected word of a qualitative analyte; `num` writes a number. */
export function formatRange(range: ReferenceRange | null, num: (n: number) => string = String): string | null {
  if (!range) return null;
  if (range.expected) return range.expected;
  const { low, high } = range;
  if (low != null && high != null) return `${num(low)}–${num(high)}`;
  if (low != null) return `≥ ${num(low)}`;
  if (high != null) return `≤ ${num(high)}`;
  return null;
}

/**
 * A stored numeric value ("12.50") with the reader's decimal mark ("12,50" in Spanish), keeping
 * its digits as entered: the trailing zero says how precise the measurement was.
 */
export function localizeDecimal(value: string, decimalMark: string): string {
  return /^[-+]?\d+(\.\d+)?$/.test(value) ? value.replace('.', decimalMark) : value;
}

/** Rows grouped under their laboratory section, in the order the API gives them. */
export function groupBySection(rows: ResultRowView[]): { section: Section; rows: ResultRowView[] }[] {
  const groups: { section: Section; rows: ResultRowView[] }[] = [];
  for (const row of rows) {
    const last = groups[groups.length - 1];
    if (last?.section === row.section) last.rows.push(row);
    else groups.push({ section: row.section, rows: [row] });
  }
  return groups;
}

/** Read-only results of one report version. */
export function ResultRowsTable({ rows }: { rows: ResultRowView[] }) {
  const { t, locale } = useI18n();
  const numbers = useMemo(() => {
    const nf = new Intl.NumberFormat(locale, { maximumFractionDigits: 6, useGrouping: false });
    const mark = nf.formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
    return { num: (n: number) => nf.format(n), mark };
  }, [locale]);
  if (rows.length === 0) return <Text c="dimmed">{t('report.noRows')}</Text>;
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table withTableBorder verticalSpacing={6} data-testid="result-rows">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('report.col.analyte')}</Table.Th>
            <Table.Th>{t('report.col.value')}</Table.Th>
            <Table.Th>{t('report.col.unit')}</Table.Th>
            <Table.Th>{t('report.col.range')}</Table.Th>
            <Table.Th>{t('report.col.flag')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {groupBySection(rows).map((g) => (
            <Fragment key={g.section}>
              <Table.Tr bg="gray.0">
                <Table.Td colSpan={5}>
                  <Text fw={700} size="sm">
                    {t(`section.${g.section}`)}
                  </Text>
                </Table.Td>
              </Table.Tr>
              {g.rows.map((r) => (
                <Table.Tr key={r.id} data-testid="result-row" data-code={r.code}>
                  <Table.Td>
                    <Text span ff="monospace" size="xs" fw={700} mr={6}>
                      {r.code}
                    </Text>
                    <Text span size="sm">
                      {r.name}
                    </Text>
                  </Table.Td>
                  <Table.Td fw={r.flag && r.flag !== 'normal' ? 700 : undefined}>{r.value == null ? t('app.none') : r.kind === 'numeric' ? localizeDecimal(r.value, numbers.mark) : r.value}</Table.Td>
                  <Table.Td c="dimmed">{r.unit ?? ''}</Table.Td>
                  <Table.Td c="dimmed">{formatRange(r.range, numbers.num) ?? t('app.none')}</Table.Td>
                  <Table.Td>
                    <FlagChip code={r.code} flag={r.flag} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Fragment>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
