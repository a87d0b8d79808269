import { ActionIcon, Button, Divider, EmptyState, Group, Indicator, Popover, Progress, ScrollArea, Stack, Text } from '@mantine/core';
import { useNavigate } from 'react-router';
import { useT } from '../i18n/i18n';
import { BellEntry, BellIcon } from './bell-parts';
import { AppNotification, useNotificationStore } from './notification-store';

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
  const navigate = useNavigate();
  const action = item.action;
  return (
    <BellEntry
      title={item.title}
      color={item.color ?? 'teal'}
      read={item.read}
      at={item.createdAt}
      detail={item.message}
      onClick={onRead}
      testId="notification-item"
    >
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
    </BellEntry>
  );
}
