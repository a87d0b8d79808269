import type { NoticePage, NoticeView } from '@vetlab/shared';
import { useSyncExternalStore } from 'react';

/** Notices kept in memory (the list shows these; more come from the API page by page). */
export const MAX_KEPT = 100;

export interface NoticeState {
  /** Newest first. */
  items: NoticeView[];
  unread: number;
  /** How many the user has in all (the API's total, plus what arrived live since). */
  total: number;
  /** False until the first page arrived: the badge shows nothing rather than a wrong 0. */
  synced: boolean;
}

const EMPTY: NoticeState = { items: [], unread: 0, total: 0, synced: false };
const newestFirst = (a: NoticeView, b: NoticeView) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1);
type Listener = () => void;

/**
 * The signed-in vet's notices. The API is the truth (`applyPage`, on load, reload and every
 * reconnect); `notice:new` is the fast path (`applyNew`). Merging keeps a notice that arrived live
 * while a page was on its way, and never counts one twice.
 */
export class NoticeStore {
  private state: NoticeState = EMPTY;
  private readonly listeners = new Set<Listener>();

  getSnapshot = (): NoticeState => this.state;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The first page from the API replaces what is here, but keeps live arrivals newer than it. */
  applyPage = (page: NoticePage): void => {
    const ids = new Set(page.items.map((n) => n.id));
    const newest = page.items[0]?.createdAt ?? '';
    const late = this.state.items.filter((n) => !ids.has(n.id) && n.createdAt > newest);
    this.set({
      items: [...late, ...page.items].slice(0, MAX_KEPT),
      unread: page.unread + late.filter((n) => !n.readAt).length,
      total: page.total + late.length,
      synced: true,
    });
  };

  /** A later page (show more): appended, counts untouched. */
  appendPage = (page: NoticePage): void => {
    const ids = new Set(this.state.items.map((n) => n.id));
    this.set({ ...this.state, items: [...this.state.items, ...page.items.filter((n) => !ids.has(n.id))] });
  };

  /** A live `notice:new`; one already here (a duplicate, or in a page) changes nothing. */
  applyNew = (notice: NoticeView): void => {
    if (this.state.items.some((n) => n.id === notice.id)) return;
    this.set({
      ...this.state,
      items: [notice, ...this.state.items].sort(newestFirst).slice(0, MAX_KEPT),
      unread: this.state.unread + (notice.readAt ? 0 : 1),
      total: this.state.total + 1,
    });
  };

  /** One notice as the API answered after marking it read. */
  applyRead = (notice: NoticeView): void => {
    const was = this.state.items.find((n) => n.id === notice.id);
    const becameRead = !!notice.readAt && (!was || !was.readAt);
    this.set({
      ...this.state,
      items: this.state.items.map((n) => (n.id === notice.id ? notice : n)),
      // One not in memory (beyond the kept ones) still counted as unread on the server.
      unread: becameRead ? Math.max(0, this.state.unread - 1) : this.state.unread,
    });
  };

  /** Every notice read now (the API said so). */
  applyAllRead = (at: string): void => {
    this.set({ ...this.state, items: this.state.items.map((n) => (n.readAt ? n : { ...n, readAt: at })), unread: 0 });
  };

  /** Signed out: nothing of the last user stays. */
  reset = (): void => this.set(EMPTY);

  private set(next: NoticeState): void {
    this.state = next;
    for (const l of this.listeners) l();
  }
}

export const noticeStore = new NoticeStore();

export function useNoticeState(store: NoticeStore = noticeStore): NoticeState {
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
