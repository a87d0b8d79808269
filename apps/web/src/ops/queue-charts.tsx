import { Stack, Text } from '@mantine/core';
import type { QueueMinute } from '@vetlab/shared';
import { useMemo } from 'react';
import { Bar, BarChart, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useI18n } from '../i18n/i18n';

const HEIGHT = 90;
/** Small dots: a minute with work between idle ones is a point, not a line. */
const DOT = { r: 1.5 };

/** The chart data: the minute as "14:05", latencies in seconds (one decimal). */
function useRows(lastHour: QueueMinute[]) {
  const { locale } = useI18n();
  return useMemo(() => {
    const clock = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
    const secs = (ms: number | null) => (ms == null ? null : Math.round(ms / 100) / 10);
    return lastHour.map((m) => ({ minute: clock.format(new Date(m.at)), ok: Math.max(0, m.done - m.failed), failed: m.failed, p50: secs(m.p50Ms), p95: secs(m.p95Ms) }));
  }, [lastHour, locale]);
}

/**
 * A queue's last hour as two small recharts charts: finished jobs per minute (failed ones stacked
 * in red) and the p50/p95 time from queued to done. Animation is off: a live page re-renders them.
 */
export function QueueCharts({ lastHour }: { lastHour: QueueMinute[] }) {
  const { t } = useI18n();
  const rows = useRows(lastHour);
  return (
    <Stack gap={4}>
      <Text size="xs" c="dimmed">
        {t('ops.chart.perMinute')}
      </Text>
      <ResponsiveContainer width="100%" height={HEIGHT} initialDimension={{ width: 280, height: HEIGHT }}>
        <BarChart data={rows} margin={{ top: 4, right: 4, bottom: 0, left: -24 }} barCategoryGap={1}>
          <XAxis dataKey="minute" tick={{ fontSize: 10 }} interval={14} tickLine={false} />
          <YAxis allowDecimals={false} tick={{ fontSize: 10 }} width={48} tickLine={false} />
          <Tooltip />
          <Bar dataKey="ok" name={t('ops.chart.done')} stackId="n" fill="var(--mantine-color-teal-6)" isAnimationActive={false} />
          <Bar dataKey="failed" name={t('ops.chart.failed')} stackId="n" fill="var(--mantine-color-red-6)" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
      <Text size="xs" c="dimmed">
        {t('ops.chart.latency')}
      </Text>
      <ResponsiveContainer width="100%" height={HEIGHT} initialDimension={{ width: 280, height: HEIGHT }}>
        <LineChart data={rows} margin={{ top: 4, right: 4, bottom: 0, left: -24 }}>
          <XAxis dataKey="minute" tick={{ fontSize: 10 }} interval={14} tickLine={false} />
          <YAxis tick={{ fontSize: 10 }} width={48} tickLine={false} />
          <Tooltip />
          <Line dataKey="p50" name="p50" stroke="var(--mantine-color-blue-6)" dot={DOT} connectNulls isAnimationActive={false} />
          <Line dataKey="p95" name="p95" stroke="var(--mantine-color-orange-6)" dot={DOT} connectNulls isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </Stack>
  );
}
