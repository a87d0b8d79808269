import { describe, expect, it, vi } from 'vitest';
import { MAX_NOTIFICATIONS, NotificationStore } from './notification-store';

/** A Storage backed by a Map, so each test has its own "sessionStorage". */
function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    get length() {
      return m.size;
    },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => void m.set(k, String(v)),
  };
}

describe('NotificationStore', () => {
  it('adds newest first, unread, and tells subscribers', () => {
    const store = new NotificationStore(memoryStorage());
    const listener = vi.fn();
    store.subscribe(listener);
    store.add({ title: 'first' });
    const id = store.add({ title: 'second', message: 'hello', progress: 20 });
    const items = store.getSnapshot();
    expect(items.map((n) => n.title)).toEqual(['second', 'first']);
    expect(items[0]).toMatchObject({ id, read: false, message: 'hello', progress: 20 });
    expect(typeof items[0].createdAt).toBe('number');
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it('keeps at most 50, dropping the oldest', () => {
    const store = new NotificationStore(memoryStorage());
    for (let i = 0; i < MAX_NOTIFICATIONS + 5; i++) store.add({ title: `n${i}` });
    const items = store.getSnapshot();
    expect(items).toHaveLength(MAX_NOTIFICATIONS);
    expect(items[0].title).toBe(`n${MAX_NOTIFICATIONS + 4}`);
    expect(items.at(-1)?.title).toBe('n5');
  });

  it('marks one or all as read, removes and clears', () => {
    const store = new NotificationStore(memoryStorage());
    const a = store.add({ title: 'a' });
    const b = store.add({ title: 'b' });
    store.markRead(a);
    expect(store.getSnapshot().find((n) => n.id === a)?.read).toBe(true);
    expect(store.getSnapshot().find((n) => n.id === b)?.read).toBe(false);
    store.markAllRead();
    expect(store.getSnapshot().every((n) => n.read)).toBe(true);
    store.remove(a);
    expect(store.getSnapshot().map((n) => n.id)).toEqual([b]);
    store.clear();
    expect(store.getSnapshot()).toEqual([]);
  });

  it('updates an item in place by id: progress ticks keep it read, a new push makes it unread', () => {
    const store = new NotificationStore(memoryStorage());
    store.add({ id: 'job-1', title: 'Finalizando', progress: 10 });
    store.add({ title: 'other' });
    store.markRead('job-1');
    store.update('job-1', { progress: 150 });
    expect(store.getSnapshot().find((n) => n.id === 'job-1')).toMatchObject({ progress: 100, read: true });
    store.add({ id: 'job-1', title: 'Informe listo', progress: null });
    const items = store.getSnapshot();
    expect(items).toHaveLength(2);
    expect(items.find((n) => n.id === 'job-1')).toMatchObject({ title: 'Informe listo', progress: null, read: false });
  });

  it('survives a reload through storage, without callback actions', () => {
    const storage = memoryStorage();
    const store = new NotificationStore(storage);
    store.add({ title: 'route', action: { label: 'Ver', to: '/protocols/1' } });
    store.add({ title: 'callback', action: { label: 'Reintentar', onClick: () => undefined } });
    const reloaded = new NotificationStore(storage).getSnapshot();
    expect(reloaded.map((n) => n.title)).toEqual(['callback', 'route']);
    expect(reloaded[1].action).toEqual({ label: 'Ver', to: '/protocols/1' });
    expect(reloaded[0].action).toBeUndefined();
    // The live store still has the callback.
    expect(store.getSnapshot()[0].action).toHaveProperty('onClick');
  });

  it('starts empty on garbage in storage and works without storage at all', () => {
    const storage = memoryStorage();
    storage.setItem('vetlab.notifications', '{not json');
    expect(new NotificationStore(storage).getSnapshot()).toEqual([]);
    storage.setItem('vetlab.notifications', JSON.stringify([{ id: 1 }, { id: 'ok', title: 'fine', createdAt: 1, read: true }]));
    expect(new NotificationStore(storage).getSnapshot().map((n) => n.id)).toEqual(['ok']);
    const bare = new NotificationStore(null);
    bare.add({ title: 'x' });
    expect(bare.getSnapshot()).toHaveLength(1);
  });
});
