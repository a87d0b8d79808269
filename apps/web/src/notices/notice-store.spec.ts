import type { NoticePage, NoticeView } from '@vetlab/shared';
import { describe, expect, it, vi } from 'vitest';
import { MAX_KEPT, NoticeStore } from './notice-store';

let n = 0;
const notice = (over: Partial<NoticeView> = {}): NoticeView => {
  n++;
  return {
    id: `id-${String(n).padStart(4, '0')}`,
    kind: 'protocol_received',
    createdAt: new Date(Date.UTC(2026, 11, 2, 10, 0, n)).toISOString(),
    readAt: null,
    protocolId: `p-${n}`,
    protocolCode: `P-2026-${String(n).padStart(6, '0')}`,
    reportId: null,
    versionNumber: null,
    reason: null,
    ...over,
  };
};
const page = (items: NoticeView[], unread: number, total = items.length): NoticePage => ({ items, unread, total, page: 1, pageSize: 20 });

describe('NoticeStore', () => {
  it('starts unsynced and empty; a page from the API sets the list and the counts', () => {
    const store = new NoticeStore();
    expect(store.getSnapshot()).toEqual({ items: [], unread: 0, total: 0, synced: false });
    const [b, a] = [notice(), notice()];
    const listener = vi.fn();
    store.subscribe(listener);
    store.applyPage(page([a, b], 1, 7));
    expect(store.getSnapshot()).toMatchObject({ items: [a, b], unread: 1, total: 7, synced: true });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('a live notice goes on top and counts once, however often it arrives', () => {
    const store = new NoticeStore();
    const old = notice({ readAt: '2026-12-02T09:00:00.000Z' });
    store.applyPage(page([old], 0));
    const fresh = notice({ kind: 'report_finalized', reportId: 'r1', versionNumber: 1 });
    store.applyNew(fresh);
    store.applyNew(fresh);
    expect(store.getSnapshot()).toMatchObject({ items: [fresh, old], unread: 1, total: 2 });
  });

  it('a resync keeps what arrived live while the page was on its way, and does not count a notice the page has', () => {
    const store = new NoticeStore();
    const a = notice();
    store.applyPage(page([a], 1));
    const b = notice();
    store.applyNew(b);
    // The page was read before b was written: b is kept on top and counted.
    store.applyPage(page([a], 1));
    expect(store.getSnapshot()).toMatchObject({ items: [b, a], unread: 2, total: 2 });
    // The next resync has b: no double count.
    store.applyPage(page([b, a], 2));
    expect(store.getSnapshot()).toMatchObject({ items: [b, a], unread: 2, total: 2 });
  });

  it('a resync forgets a notice read elsewhere as unread (the API is the truth)', () => {
    const store = new NoticeStore();
    const a = notice();
    store.applyNew(a);
    expect(store.getSnapshot().unread).toBe(1);
    store.applyPage(page([{ ...a, readAt: '2026-12-02T11:00:00.000Z' }], 0));
    expect(store.getSnapshot()).toMatchObject({ unread: 0, items: [{ id: a.id, readAt: '2026-12-02T11:00:00.000Z' }] });
  });

  it('marks one read once, and all read', () => {
    const store = new NoticeStore();
    const [c, b, a] = [notice(), notice(), notice()];
    store.applyPage(page([a, b, c], 3));
    const readB = { ...b, readAt: '2026-12-02T12:00:00.000Z' };
    store.applyRead(readB);
    store.applyRead(readB);
    expect(store.getSnapshot().unread).toBe(2);
    expect(store.getSnapshot().items.map((x) => !!x.readAt)).toEqual([false, true, false]);
    store.applyAllRead('2026-12-02T12:30:00.000Z');
    expect(store.getSnapshot().unread).toBe(0);
    expect(store.getSnapshot().items.map((x) => x.readAt)).toEqual(['2026-12-02T12:30:00.000Z', '2026-12-02T12:00:00.000Z', '2026-12-02T12:30:00.000Z']);
  });

  it('appends later pages without duplicates and keeps at most MAX_KEPT live ones', () => {
    const store = new NoticeStore();
    const [b, a] = [notice(), notice()];
    store.applyPage(page([a], 2, 2));
    store.appendPage({ ...page([a, b], 2, 2), page: 2 });
    expect(store.getSnapshot().items).toEqual([a, b]);
    for (let i = 0; i < MAX_KEPT + 5; i++) store.applyNew(notice());
    expect(store.getSnapshot().items).toHaveLength(MAX_KEPT);
    expect(store.getSnapshot().unread).toBe(2 + MAX_KEPT + 5);
  });

  it('reset forgets everything (sign out)', () => {
    const store = new NoticeStore();
    store.applyNew(notice());
    store.reset();
    expect(store.getSnapshot()).toEqual({ items: [], unread: 0, total: 0, synced: false });
  });
});
