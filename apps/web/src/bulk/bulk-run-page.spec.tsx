import type { BulkItemView, BulkRunView, Page } from '@vetlab/shared';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, renderWithProviders, signedInApi, USERS } from '../testing/render';
import { BulkRunPage } from './bulk-run-page';

const RUN: BulkRunView = {
  id: 'b1',
  jobId: 'j1',
  action: 'start_analysis',
  target: 'in_analysis',
  reason: null,
  state: 'completed',
  total: 3,
  succeeded: 1,
  skipped: 0,
  failed: 2,
  cancelled: 0,
  done: 3,
  etaSeconds: null,
  cancelRequested: false,
  retryOf: null,
  createdBy: { id: 'u1', name: 'Admin' },
  createdAt: '2026-11-28T10:00:00.000Z',
  startedAt: '2026-11-28T10:00:00.000Z',
  finishedAt: '2026-11-28T10:00:01.000Z',
};
const item = (n: number, over: Partial<BulkItemView>): BulkItemView => ({
  protocolId: `p${n}`,
  code: `P-2026-00000${n}`,
  animalName: `Animal ${n}`,
  status: 'succeeded',
  reason: null,
  attempts: 1,
  processedAt: '2026-11-28T10:00:01.000Z',
  ...over,
});

describe('BulkRunPage', () => {
  it('lists the outcomes with reasons, filters the failed, and retries them in a new run', async () => {
    const posts: string[] = [];
    const { api, calls } = await signedInApi(USERS.admin, (url, init) => {
      if (url.pathname === '/api/bulk/b1') return json(RUN);
      if (url.pathname === '/api/bulk/b1/items') {
        const failed = [item(2, { status: 'failed', reason: 'cannot go from submitted to in_analysis' }), item(3, { status: 'failed', reason: 'protocol not found', code: null, animalName: null })];
        const items = url.searchParams.get('status') === 'failed' ? failed : [item(1, {}), ...failed];
        return json({ items, total: items.length, page: 1, pageSize: 50 } satisfies Page<BulkItemView>);
      }
      if (url.pathname === '/api/bulk/b1/retry-failed' && init?.method === 'POST') {
        posts.push(url.pathname);
        return json({ jobId: 'j2', kind: 'bulk_protocols', state: 'queued', bulkId: 'b2', total: 2 }, 202);
      }
      return json({ message: 'not here' }, 404);
    });
    const { router } = renderWithProviders(<BulkRunPage />, { api, at: '/bulk/b1', path: '/bulk/:id' });
    expect(await screen.findByText('Acción masiva: Iniciar análisis')).toBeInTheDocument();
    expect(screen.getByTestId('bulk-run-counts')).toHaveTextContent('3/3 · 1 correcto · 0 omitidos · 2 fallidos');
    expect(await screen.findAllByTestId('bulk-item-row')).toHaveLength(3);
    expect(screen.getByText('cannot go from submitted to in_analysis')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('radio', { name: 'Fallido' }));
    await waitFor(() => expect(calls.some((u) => u.searchParams.get('status') === 'failed')).toBe(true));
    await waitFor(() => expect(screen.getAllByTestId('bulk-item-row')).toHaveLength(2));

    fireEvent.click(screen.getByTestId('bulk-retry'));
    await waitFor(() => expect(router.state.location.pathname).toBe('/bulk/b2'));
    expect(posts).toEqual(['/api/bulk/b1/retry-failed']);
  });

  it('has a history tab with the run’s audit entries', async () => {
    const { api, calls } = await signedInApi(USERS.admin, (url) => {
      if (url.pathname === '/api/bulk/b1') return json(RUN);
      if (url.pathname === '/api/bulk/b1/items') return json({ items: [item(1, {})], total: 1, page: 1, pageSize: 50 });
      if (url.pathname === '/api/audit') {
        const entry = { id: 'e1', at: '2026-11-28T10:00:00.000Z', actor: { id: 'u1', name: 'Admin' }, entity: 'bulk_run', entityId: 'b1', action: 'status_change', before: { state: 'failed' }, after: { state: 'queued' }, jobId: null, label: '#7', protocolId: null };
        return json({ items: [entry], total: 1, page: 1, pageSize: 10 });
      }
      return json({ message: 'not here' }, 404);
    });
    renderWithProviders(<BulkRunPage />, { api, at: '/bulk/b1', path: '/bulk/:id' });
    fireEvent.click(await screen.findByTestId('history-tab'));
    expect(await screen.findByTestId('audit-changes')).toHaveTextContent('Estado: Falló → En cola');
    const asked = calls.find((u) => u.pathname === '/api/audit');
    expect([asked?.searchParams.get('entity'), asked?.searchParams.get('entityId')]).toEqual(['bulk_run', 'b1']);
  });

  it('a failed run shows Reanudar: it resumes the same run and shows it going again', async () => {
    const posts: string[] = [];
    let state: BulkRunView['state'] = 'failed';
    const { api } = await signedInApi(USERS.admin, (url, init) => {
      if (url.pathname === '/api/bulk/b1') return json({ ...RUN, state, failed: 0, succeeded: 1, done: 1 });
      if (url.pathname === '/api/bulk/b1/items') return json({ items: [item(1, {})], total: 1, page: 1, pageSize: 50 } satisfies Page<BulkItemView>);
      if (url.pathname === '/api/bulk/b1/resume' && init?.method === 'POST') {
        posts.push(url.pathname);
        state = 'queued';
        return json({ jobId: 'j1', kind: 'bulk_protocols', state: 'queued', bulkId: 'b1', total: 3 }, 202);
      }
      return json({ message: 'not here' }, 404);
    });
    renderWithProviders(<BulkRunPage />, { api, at: '/bulk/b1', path: '/bulk/:id' });
    fireEvent.click(await screen.findByRole('button', { name: 'Reanudar' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Reanudar' })).not.toBeInTheDocument());
    expect(posts).toEqual(['/api/bulk/b1/resume']);
    expect(screen.queryByTestId('bulk-retry')).not.toBeInTheDocument();
  });
});
