import { Alert, Anchor, Stack, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueuePause } from '@vetlab/shared';
import { useEffect } from 'react';
import { Link } from 'react-router';
import { useLive, useLiveEvent } from '../app/live';
import { useApi } from '../app/providers';
import { useI18n } from '../i18n/i18n';
import { plural } from '../i18n/plural';
import { useFormatters } from '../protocols/format';
import { queueLabel } from './labels';
import { getPauses, opsKeys } from './ops-api';

/**
 * On every admin page while a queue is paused: which, why, by whom, until when. Fetched once, then
 * replaced by each `ops:pauses` event; asked again after a reconnection (events may have been missed).
 */
export function PauseBanner() {
  const { t, locale } = useI18n();
  const api = useApi();
  const qc = useQueryClient();
  const fmt = useFormatters();
  const { status } = useLive();
  const pauses = useQuery({ queryKey: opsKeys.pauses, queryFn: () => getPauses(api), staleTime: Infinity, refetchOnWindowFocus: false });
  useLiveEvent('ops:pauses', (e) => qc.setQueryData<QueuePause[]>(opsKeys.pauses, e.pauses));
  useEffect(() => {
    if (status === 'connected') void qc.invalidateQueries({ queryKey: opsKeys.pauses });
  }, [qc, status]);

  const list = pauses.data ?? [];
  if (list.length === 0) return null;
  return (
    <Alert color="orange" variant="light" mb="md" title={plural(t, locale, 'ops.banner.title', list.length)} data-testid="pause-banner">
      <Stack gap={2}>
        {list.map((p) => (
          <Text size="sm" key={p.queue} data-testid="pause-banner-line">
            {t('ops.banner.line', { queue: queueLabel(t, p.queue), reason: p.reason, who: p.pausedBy?.name ?? t('ops.someone'), until: fmt.time(p.expiresAt) })}
          </Text>
        ))}
        <Anchor component={Link} to="/ops" size="sm">
          {t('ops.banner.link')}
        </Anchor>
      </Stack>
    </Alert>
  );
}
