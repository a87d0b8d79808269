import type { MantineColor } from '@mantine/core';
import { useSyncExternalStore } from 'react';

export const MAX_NOTIFICATIONS = 50;
const STORAGE_KEY = 'vetlab.notifications';

/** What an item's button does: go to a route (survives a reload) or run a callback (this page only). */
export type NotificationAction = { label: string; to: string } | { label: string; onClick: () => void };

export interface AppNotification {
  id: string;
  title: string;
  message?: string;
  /** Epoch milliseconds. */
  createdAt: number;
  read: boolean;
  /** 0–100 while a job runs; null or absent when there is nothing to measure. */
  progress?: number | null;
  color?: MantineColor;
  action?: NotificationAction;
}

/** Input of add/push; an `id` that already exists updates that item (e.g. a job's outcome, keyed by job id). */
export type NewNotification = Omit<AppNotification, 'id' | 'createdAt' | 'read'> & Partial<Pick<AppNotification, 'id' | 'createdAt' | 'read'>>;

type Listener = () => void;

const clampProgress = (p: number | null | undefined) => (p == null || Number.isNaN(p) ? p : Math.min(100, Math.max(0, p)));

let counter = 0;
const newId = () => `n${Date.now().toString(36)}${(counter++).toString(36)}`;

/**
 * Recent notifications of this tab, newest first, at most 50. Kept in sessionStorage so a reload
 * keeps them but another tab or a new session starts clean. Callback actions cannot be stored:
 * after a reload an item keeps its text and loses such a button.
 */
export class NotificationStore {
  private items: AppNotification[];
  private readonly listeners = new Set<Listener>();

  constructor(private readonly storage: Storage | null = safeSessionStorage()) {
    this.items = this.load();
  }

  getSnapshot = (): AppNotification[] => this.items;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  add = (input: NewNotification): string => {
    const id = input.id ?? newId();
    const existing = this.items.find((n) => n.id === id);
    if (existing) {
      // A push is news: unread again. Progress ticks should use update(), which keeps it read.
      this.update(id, { ...input, read: input.read ?? false });
      return id;
    }
    const item: AppNotification = { ...input, id, createdAt: input.createdAt ?? Date.now(), read: input.read ?? false, progress: clampProgress(input.progress) };
    this.set([item, ...this.items].slice(0, MAX_NOTIFICATIONS));
    return id;
  };

  /** Changes an item in place. Progress ticks keep it read; pass `read: false` to flag news (a job ended). */
  update = (id: string, patch: Partial<Omit<AppNotification, 'id'>>): void => {
    if (!this.items.some((n) => n.id === id)) return;
    this.set(
      this.items.map((n) =>
        n.id === id
          ? { ...n, ...patch, id, read: patch.read ?? n.read, progress: 'progress' in patch ? clampProgress(patch.progress) : n.progress }
          : n,
      ),
    );
  };

  markRead = (id: string): void => {
    if (this.items.some((n) => n.id === id && !n.read)) this.set(this.items.map((n) => (n.id === id ? { ...n, read: true } : n)));
  };

  markAllRead = (): void => {
    if (this.items.some((n) => !n.read)) this.set(this.items.map((n) => (n.read ? n : { ...n, read: true })));
  };

  remove = (id: string): void => {
    this.set(this.items.filter((n) => n.id !== id));
  };

  clear = (): void => {
    if (this.items.length) this.set([]);
  };

  private set(items: AppNotification[]): void {
    this.items = items;
    this.save();
    for (const l of this.listeners) l();
  }

  private load(): AppNotification[] {
    try {
      const raw = this.storage?.getItem(STORAGE_KEY);
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      return Array.isArray(parsed) ? (parsed.filter(isNotification).slice(0, MAX_NOTIFICATIONS) as AppNotification[]) : [];
    } catch {
      return [];
    }
  }

  private save(): void {
    try {
      // Functions do not survive JSON; route actions do.
      const storable = this.items.map((n) => (n.action && !('to' in n.action) ? { ...n, action: undefined } : n));
      this.storage?.setItem(STORAGE_KEY, JSON.stringify(storable));
    } catch {
      // Storage full or disabled (private mode): the list still works for this page.
    }
  }
}

function isNotification(v: unknown): boolean {
  const n = v as AppNotification;
  return typeof n === 'object' && n !== null && typeof n.id === 'string' && typeof n.title === 'string' && typeof n.createdAt === 'number';
}

function safeSessionStorage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

/** The tab's one store. */
export const notificationStore = new NotificationStore();

/** Adds (or, with a known id, updates) a notification from anywhere, e.g. a socket handler. */
export function pushNotification(input: NewNotification): string {
  return notificationStore.add(input);
}

export function useNotificationStore() {
  const items = useSyncExternalStore(notificationStore.subscribe, notificationStore.getSnapshot);
  return {
    items,
    unread: items.filter((n) => !n.read).length,
    add: notificationStore.add,
    update: notificationStore.update,
    markRead: notificationStore.markRead,
    markAllRead: notificationStore.markAllRead,
    remove: notificationStore.remove,
    clear: notificationStore.clear,
  };
}
