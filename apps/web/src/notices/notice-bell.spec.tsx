import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { NoticePage, NoticeView } from '@vetlab/shared';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { json, renderWithProviders, signedInApi, USERS } from '../testing/render';
import { NoticeBell } from './notice-bell';
import { noticeStore } from './notice-store';

// The socket is replaced by a registry of the handlers the bell subscribes, so a test can emit.
const handlers = new Map<string, (e: never) => void>();
vi.mock('../app/live', () => ({
  useLive: () => ({ socket: null, status: 'connected' }),
  useLiveEvent: (event: string, handler: (e: never) => void) => handlers.set(event, handler),
}));

const notice = (over: Partial<NoticeView> = {}): NoticeView => ({
  id: 'n1',
  kind: 'protocol_received',
  createdAt: '2026-12-02T10:00:00.000Z',
  readAt: null,
  protocolId: 'p1',
  protocolCode: 'P-2026-000001',
  reportId: null,
  versionNumber: null,
  reason: null,
  ...over,
});
const page = (items: NoticeView[], unread: number): NoticePage => ({ items, unread, total: items.length, page: 1, pageSize: 20 });

beforeEach(() => {
  handlers.clear();
  noticeStore.reset();
});

describe('NoticeBell', () => {
  it('shows the unread count from the API, adds a live notice, says each in words, and opens the report marking it read', async () => {
    const rejected = notice({ id: 'n0', kind: 'protocol_rejected', reason: 'muestra hemolizada', readAt: '2026-12-01T10:00:00.000Z', createdAt: '2026-12-01T09:00:00.000Z' });
    const posted: string[] = [];
    const { api } = await signedInApi(USERS.vet, (url, init) => {
      if (url.pathname === '/api/notices') return json(page([notice(), rejected], 1));
      if (init?.method === 'POST' && url.pathname === '/api/notices/n2/read') {
        posted.push(url.pathname);
        return json(notice({ id: 'n2', kind: 'report_finalized', reportId: 'r1', versionNumber: 1, createdAt: '2026-12-02T11:00:00.000Z', readAt: '2026-12-02T11:05:00.000Z' }));
      }
      return json({}, 404);
    });
    const { router } = renderWithProviders(<NoticeBell />, { api });
    const bell = await screen.findByTestId('notices-bell');
    await waitFor(() => expect(bell).toHaveAttribute('data-unread', '1'));
    expect(bell).toHaveAccessibleName('Avisos: 1 aviso sin leer');

    act(() => (handlers.get('notice:new') as (n: NoticeView) => void)(notice({ id: 'n2', kind: 'report_finalized', reportId: 'r1', versionNumber: 1, createdAt: '2026-12-02T11:00:00.000Z' })));
    expect(bell).toHaveAttribute('data-unread', '2');
    expect(bell).toHaveAccessibleName('Avisos: 2 avisos sin leer');

    fireEvent.click(bell);
    const panel = await screen.findByTestId('notices-panel');
    const items = within(panel).getAllByTestId('notice-item');
    expect(items.map((i) => i.getAttribute('data-kind'))).toEqual(['report_finalized', 'protocol_received', 'protocol_rejected']);
    expect(within(items[0]).getByText('Informe de P-2026-000001 listo (versión 1)')).toBeInTheDocument();
    expect(within(items[1]).getByText('El laboratorio recibió el protocolo P-2026-000001')).toBeInTheDocument();
    expect(within(items[2]).getByText('Motivo: muestra hemolizada')).toBeInTheDocument();
    expect(within(panel).getByText('2 avisos sin leer')).toBeInTheDocument();

    fireEvent.click(within(items[0]).getByText('Ver informe'));
    await waitFor(() => expect(router.state.location.pathname).toBe('/protocols/p1'));
    expect(router.state.location.search).toBe('?tab=report');
    await waitFor(() => expect(bell).toHaveAttribute('data-unread', '1'));
    expect(posted).toEqual(['/api/notices/n2/read']);
  });

  it('marks all read', async () => {
    const { api, calls } = await signedInApi(USERS.vet, (url, init) => {
      if (url.pathname === '/api/notices') return json(page([notice(), notice({ id: 'n9', createdAt: '2026-12-02T09:00:00.000Z' })], 2));
      if (init?.method === 'POST' && url.pathname === '/api/notices/read-all') return json({ marked: 2, unread: 0 });
      return json({}, 404);
    });
    renderWithProviders(<NoticeBell />, { api });
    const bell = await screen.findByTestId('notices-bell');
    await waitFor(() => expect(bell).toHaveAttribute('data-unread', '2'));
    fireEvent.click(bell);
    fireEvent.click(await screen.findByTestId('notices-read-all'));
    await waitFor(() => expect(bell).toHaveAttribute('data-unread', '0'));
    expect(screen.getAllByTestId('notice-item').map((i) => i.getAttribute('data-read'))).toEqual(['true', 'true']);
    expect(calls.some((u) => u.pathname === '/api/notices/read-all')).toBe(true);
  });

  it('a burst of live notices (a bulk run) is one toast with the count, not one toast each', async () => {
    const { api } = await signedInApi(USERS.vet, (url) => (url.pathname === '/api/notices' ? json(page([], 0)) : json({}, 404)));
    renderWithProviders(<NoticeBell />, { api });
    const bell = await screen.findByTestId('notices-bell');
    await waitFor(() => expect(bell).toHaveAttribute('data-unread', '0'));
    const emit = handlers.get('notice:new') as (n: NoticeView) => void;
    act(() => emit(notice({ id: 'b1', protocolCode: 'P-2026-000101' })));
    expect(await screen.findByText('El laboratorio recibió el protocolo P-2026-000101')).toBeInTheDocument();
    act(() => {
      for (let i = 2; i <= 12; i++) emit(notice({ id: `b${i}`, createdAt: `2026-12-02T10:00:${String(i).padStart(2, '0')}.000Z` }));
    });
    expect(await screen.findByText('12 avisos nuevos')).toBeInTheDocument();
    expect(screen.getAllByText('Nuevo aviso')).toHaveLength(1);
    expect(bell).toHaveAttribute('data-unread', '12');
  });
});
