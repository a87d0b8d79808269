import { Alert, Badge, Center, Group, Loader, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { LoadError } from '../app/load-error';
import { useI18n } from '../i18n/i18n';
import { useFormatters } from '../protocols/format';
import { DiskAlert } from './disk-alert';
import { JobsTab } from './jobs-tab';
import { MailsTab } from './mails-tab';
import { QueueCard } from './queue-card';
import { StuckTab } from './stuck-tab';
import { countsSignature, useOpsOverview } from './use-ops-overview';

const TABS = ['queues', 'jobs', 'stuck', 'mails'] as const;
type Tab = (typeof TABS)[number];

/** /ops (admins): the queues at a glance, jobs by state, stuck work and the mail log, live. */
export function OpsPage() {
  const { t } = useI18n();
  const fmt = useFormatters();
  const overview = useOpsOverview();
  const [params, setParams] = useSearchParams();
  const tab: Tab = TABS.includes(params.get('tab') as Tab) ? (params.get('tab') as Tab) : 'queues';
  const countsKey = countsSignature(overview.data);
  const stuck = overview.data?.queues.reduce((n, q) => n + q.stuck, 0) ?? 0;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="baseline">
        <div>
          <Title order={2}>{t('ops.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('ops.subtitle')}
          </Text>
        </div>
        {overview.data && (
          <Text size="xs" c="dimmed" data-testid="ops-updated">
            {t('ops.updatedAt', { at: fmt.time(overview.data.at) })}
          </Text>
        )}
      </Group>
      <Tabs value={tab} onChange={(v) => setParams(v && v !== 'queues' ? { tab: v } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="queues">{t('ops.tab.queues')}</Tabs.Tab>
          <Tabs.Tab value="jobs">{t('ops.tab.jobs')}</Tabs.Tab>
          <Tabs.Tab value="stuck" rightSection={stuck > 0 ? <Badge size="xs" color="red" circle>{stuck}</Badge> : null}>
            {t('ops.tab.stuck')}
          </Tabs.Tab>
          <Tabs.Tab value="mails">{t('ops.tab.mails')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="queues" pt="md">
          {overview.isPending && (
            <Center p="xl">
              <Loader aria-label={t('app.loading')} />
            </Center>
          )}
          {overview.isError && <LoadError title="ops.loadError" error={overview.error} onRetry={() => overview.refetch()} />}
          {overview.data && (
            <Stack gap="md">
              {!overview.data.redis && (
                <Alert color="red" variant="light" data-testid="ops-redis-down">
                  {t('ops.redisDown')}
                </Alert>
              )}
              <DiskAlert workers={overview.data.workers} />
              <SimpleGrid cols={{ base: 1, md: 2, xl: 4 }} spacing="md" data-testid="ops-queues">
                {overview.data.queues.map((card) => (
                  <QueueCard key={card.queue} card={card} />
                ))}
              </SimpleGrid>
            </Stack>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="jobs" pt="md">
          <JobsTab countsKey={countsKey} />
        </Tabs.Panel>
        <Tabs.Panel value="stuck" pt="md">
          <StuckTab countsKey={countsKey} />
        </Tabs.Panel>
        <Tabs.Panel value="mails" pt="md">
          <MailsTab countsKey={countsKey} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
