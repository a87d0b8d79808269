import { Alert, Stack, Text } from '@mantine/core';
import type { OpsWorker } from '@vetlab/shared';
import { useI18n } from '../i18n/i18n';
import type { Locale } from '../i18n/types';

/** 312 MB, 4.5 GB: a disk's room in the reader's language (binary units, as the OS's tools count). */
export function formatBytes(locale: Locale, bytes: number): string {
  const gb = bytes / 2 ** 30;
  return gb >= 1
    ? new Intl.NumberFormat(locale, { style: 'unit', unit: 'gigabyte', maximumFractionDigits: 1 }).format(gb)
    : new Intl.NumberFormat(locale, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 0 }).format(bytes / 2 ** 20);
}

/**
 * On the console's queues tab while a worker's data disk is low: which machine, how much is left,
 * and what happens when it fills (nothing new is saved; reports wait and go on by themselves once
 * there is room). One line per machine: the workers of one machine share its disk.
 */
export function DiskAlert({ workers }: { workers: readonly OpsWorker[] }) {
  const { t, locale } = useI18n();
  const byHost = new Map<string, NonNullable<OpsWorker['disk']>>();
  for (const w of workers) {
    if (!w.disk?.low) continue;
    const seen = byHost.get(w.host);
    if (!seen || w.disk.freeBytes < seen.freeBytes) byHost.set(w.host, w.disk);
  }
  if (byHost.size === 0) return null;
  return (
    <Alert color="red" variant="light" title={t('ops.disk.title')} data-testid="ops-disk-low">
      <Stack gap={4}>
        {[...byHost].map(([host, disk]) => (
          <Text size="sm" key={host} data-testid="ops-disk-line">
            {t('ops.disk.line', { host, free: formatBytes(locale, disk.freeBytes), total: formatBytes(locale, disk.totalBytes) })}
          </Text>
        ))}
        <Text size="sm">{t('ops.disk.effect')}</Text>
      </Stack>
    </Alert>
  );
}
