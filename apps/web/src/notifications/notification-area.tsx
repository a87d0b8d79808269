import { ActionIcon, Box, Button, Divider, EmptyState, Group, Indicator, Paper, Popover, Progress, ScrollArea, Stack, Text } from '@mantine/core';
import { useNavigate } from 'react-router';
import { useT } from '../i18n/i18n';
import { useFormatters } from '../protocols/format';
import { AppNotification, useNotificationStore } from './notification-store';

function BellIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d="M10 5a2 2 0 1 1 4 0a7 7 0 0 1 4 6v3a4 4 0 0 0 2 3h-16a4 4 0 0 0 2 -3v-3a7 7 0 0 1 4 -6" />
      <path d="M9 17v1a3 3 0 0 0 6 0v-1" />
    </svg>
  );
}

/** The header bell: recent job outcomes and progress, kept for this tab (see notification-store). */
export function NotificationArea() {
  const t = useT();
  const store = useNotificationStore();
  const label = store.unread ? t('notifications.openUnread', { count: store.unread }) : t('notifications.open');
  return (
    <Popover width={380} position="bottom-end" shadow="md" withArrow>
      <Popover.Target>
        <Indicator label={store.unread > 9 ? '9+' : store.unread} size={16} color="red" disabled={!store.unread} offset={4}>
          <ActionIcon variant="subtle" color="gray" size="lg" aria-label={label} data-testid="notifications-bell" data-unread={store.unread}>
            <BellIcon />
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown p={0} data-testid="notifications-panel">
        <Group justify="space-between" px="sm" py="xs" wrap="nowrap">
          <Text fw={600}>{t('notifications.title')}</Text>
          <Group gap={4} wrap="nowrap">
            <Button size="compact-xs" variant="subtle" onClick={store.markAllRead} disabled={!store.unread}>
              {t('notifications.markAllRead')}
            </Button>
            <Button size="compact-xs" variant="subtle" color="gray" onClick={store.clear} disabled={!store.items.length}>
              {t('notifications.clear')}
            </Button>
          </Group>
        </Group>
        <Divider />
        {store.items.length === 0 ? (
          <EmptyState size="sm" py="lg" title={t('notifications.empty')} description={t('notifications.emptyHint')} />
        ) : (
          <ScrollArea.Autosize mah={420} type="auto">
            <Stack gap={0}>
              {store.items.map((n) => (
                <NotificationItem key={n.id} item={n} onRead={() => store.markRead(n.id)} />
              ))}
            </Stack>
          </ScrollArea.Autosize>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}

function NotificationItem({ item, onRead }: { item: AppNotification; onRead: () => void }) {
  const t = useT();
  const fmt = useFormatters();
  const navigate = useNavigate();
  const action = item.action;
  return (
    <Paper
      px="sm"
      py="xs"
      radius={0}
      bg={item.read ? undefined : 'teal.0'}
      onClick={onRead}
      style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
      data-testid="notification-item"
      data-read={item.read}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
        <Group gap={6} wrap="nowrap" align="flex-start">
          <Box w={8} h={8} mt={6} style={{ borderRadius: '50%', flex: 'none' }} bg={item.color ? `${item.color}.6` : 'teal.6'} />
          <Text size="sm" fw={item.read ? 500 : 700}>
            {item.title}
          </Text>
        </Group>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {fmt.time(item.createdAt)}
        </Text>
      </Group>
      {item.message && (
        <Text size="sm" c="dimmed" ml={14}>
          {item.message}
        </Text>
      )}
      {item.progress != null && (
        <Progress value={item.progress} size="sm" mt={6} ml={14} color={item.color} aria-label={t('notifications.progress')} animated={item.progress < 100} />
      )}
      {action && (
        <Button
          size="compact-xs"
          variant="light"
          mt={6}
          ml={14}
          onClick={(e) => {
            e.stopPropagation();
            onRead();
            if ('to' in action) void navigate(action.to);
            else action.onClick();
          }}
        >
          {action.label}
        </Button>
      )}
    </Paper>
  );
}
