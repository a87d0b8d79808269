import { ActionIcon, Button, Divider, EmptyState, Group, Indicator, Popover, ScrollArea, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { NoticeKind, type NoticeView } from '@vetlab/shared';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { useLive, useLiveEvent } from '../app/live';
import { useApi } from '../app/providers';
import type { MessageKey } from '../i18n/catalogue';
import { type Translate, useI18n } from '../i18n/i18n';
import { plural } from '../i18n/plural';
import { notifyError } from '../notifications/notify';
import { BellEntry, BellIcon } from '../notifications/bell-parts';
import { listNotices, markAllNoticesRead, markNoticeRead, NOTICE_PAGE_SIZE, noticeKeys } from './notices-api';
import { noticeStore, useNoticeState } from './notice-store';

const TOAST_ID = 'notice-live';
const TOAST_MS = 6000;
const REPORT_KINDS: readonly string[] = [NoticeKind.ReportFinalized, NoticeKind.ReportCorrected, NoticeKind.ReportAnnulled];
const COLOR: Record<NoticeKind, string> = {
  report_finalized: 'teal',
  report_corrected: 'blue',
  report_annulled: 'red',
  protocol_received: 'gray',
  protocol_rejected: 'orange',
};

/** A notice in the reader's words. */
export function noticeText(t: Translate, n: NoticeView): string {
  return t(`notices.kind.${n.kind}` as MessageKey, { code: n.protocolCode, version: n.versionNumber ?? '' });
}

/**
 * A vet's bell: their clinic's notices, kept on the server (they survive reloads and follow the
 * vet to another device). The first page is read on mount and again on every (re)connect of the
 * live socket; `notice:new` adds one at once. Clicking a notice marks it read and opens its protocol.
 */
export function NoticeBell() {
  const api = useApi();
  const { t, locale } = useI18n();
  const qc = useQueryClient();
  const { socket } = useLive();
  const state = useNoticeState();
  const [opened, setOpened] = useState(false);

  const first = useQuery({ queryKey: noticeKeys.first, queryFn: () => listNotices(api), staleTime: 0 });
  useEffect(() => {
    if (first.data) noticeStore.applyPage(first.data);
  }, [first.data]);
  // Another user may sign in on this tab: nothing of this one's stays behind.
  useEffect(() => () => noticeStore.reset(), []);
  // Whatever was written while the socket was away (or before it first connected) comes from the API.
  useEffect(() => {
    if (!socket) return;
    const resync = () => void qc.invalidateQueries({ queryKey: noticeKeys.first });
    socket.on('connect', resync);
    return () => {
      socket.off('connect', resync);
    };
  }, [socket, qc]);
  // One toast per burst: a bulk run of a thousand protocols says "1000 avisos nuevos" once, not a thousand times.
  const burst = useRef({ count: 0, until: 0 });
  useLiveEvent('notice:new', (n) => {
    noticeStore.applyNew(n);
    const now = Date.now();
    const b = burst.current;
    b.count = now < b.until ? b.count + 1 : 1;
    b.until = now + TOAST_MS;
    const toast = { id: TOAST_ID, title: t('notices.new'), autoClose: TOAST_MS };
    if (b.count === 1) {
      notifications.hide(TOAST_ID);
      notifications.show({ ...toast, color: COLOR[n.kind], message: noticeText(t, n) });
    } else {
      notifications.update({ ...toast, color: 'teal', message: plural(t, locale, 'notices.newCount', b.count) });
    }
  });

  const readOne = useMutation({ mutationFn: (id: string) => markNoticeRead(api, id), onSuccess: noticeStore.applyRead, onError: (e) => notifyError(t, e) });
  const readAll = useMutation({
    mutationFn: () => markAllNoticesRead(api),
    onSuccess: () => noticeStore.applyAllRead(new Date().toISOString()),
    onError: (e) => notifyError(t, e),
  });
  const more = useMutation({
    mutationFn: () => listNotices(api, Math.floor(state.items.length / NOTICE_PAGE_SIZE) + 1),
    onSuccess: noticeStore.appendPage,
    onError: (e) => notifyError(t, e),
  });

  const unread = state.unread;
  const label = unread ? `${t('notices.open')}: ${plural(t, locale, 'notices.unread', unread)}` : t('notices.open');
  return (
    <Popover width={400} position="bottom-end" shadow="md" withArrow opened={opened} onChange={setOpened}>
      <Popover.Target>
        <Indicator label={unread > 99 ? '99+' : unread} size={18} color="red" disabled={!unread} offset={4} data-testid="notices-badge">
          <ActionIcon
            variant="subtle"
            color="gray"
            size="lg"
            aria-label={label}
            title={label}
            data-testid="notices-bell"
            data-unread={state.synced ? unread : undefined}
            onClick={() => setOpened((o) => !o)}
          >
            <BellIcon />
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown p={0} data-testid="notices-panel">
        <Group justify="space-between" px="sm" py="xs" wrap="nowrap">
          <div>
            <Text fw={600}>{t('notices.title')}</Text>
            {unread > 0 && (
              <Text size="xs" c="dimmed" data-testid="notices-unread-text">
                {plural(t, locale, 'notices.unread', unread)}
              </Text>
            )}
          </div>
          <Button size="compact-xs" variant="subtle" onClick={() => readAll.mutate()} disabled={!unread || readAll.isPending} data-testid="notices-read-all">
            {t('notices.markAllRead')}
          </Button>
        </Group>
        <Divider />
        {first.isError && !state.synced ? (
          <Text size="sm" c="red" p="sm">
            {t('notices.loadError')}
          </Text>
        ) : state.items.length === 0 ? (
          <EmptyState size="sm" py="lg" title={t('notices.empty')} description={t('notices.emptyHint')} />
        ) : (
          <ScrollArea.Autosize mah={440} type="auto">
            <Stack gap={0}>
              {state.items.map((n) => (
                <NoticeItem
                  key={n.id}
                  notice={n}
                  onRead={() => !n.readAt && readOne.mutate(n.id)}
                  onOpen={() => {
                    if (!n.readAt) readOne.mutate(n.id);
                    setOpened(false);
                  }}
                />
              ))}
              {state.items.length < state.total && (
                <Button variant="subtle" size="xs" m="xs" onClick={() => more.mutate()} loading={more.isPending}>
                  {t('notices.more')}
                </Button>
              )}
            </Stack>
          </ScrollArea.Autosize>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}

function NoticeItem({ notice, onRead, onOpen }: { notice: NoticeView; onRead: () => void; onOpen: () => void }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const read = !!notice.readAt;
  const isReport = REPORT_KINDS.includes(notice.kind);
  return (
    <BellEntry
      title={noticeText(t, notice)}
      color={COLOR[notice.kind]}
      read={read}
      at={notice.createdAt}
      detail={notice.reason && t('notices.reason', { reason: notice.reason })}
      testId="notice-item"
      data={{ 'data-kind': notice.kind }}
    >
      <Group gap={6} mt={6} ml={14}>
        <Button
          size="compact-xs"
          variant="light"
          data-testid="notice-open"
          onClick={() => {
            onOpen();
            void navigate(`/protocols/${encodeURIComponent(notice.protocolId)}${isReport ? '?tab=report' : ''}`);
          }}
        >
          {t(isReport ? 'notices.open.report' : 'notices.open.protocol')}
        </Button>
        {!read && (
          <Button size="compact-xs" variant="subtle" color="gray" onClick={onRead} data-testid="notice-mark-read">
            {t('notices.markRead')}
          </Button>
        )}
      </Group>
    </BellEntry>
  );
}
