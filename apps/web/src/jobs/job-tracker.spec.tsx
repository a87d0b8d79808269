import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { JobEvent, JobView, ServerToClientEvents } from '@vetlab/shared';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { notificationStore } from '../notifications/notification-store';
import { json, renderWithProviders, signedInApi, USERS } from '../testing/render';
import { JobStore } from './job-store';
import { JobTracker } from './job-tracker';

// The socket is replaced by a registry of the handlers the tracker subscribes, so a test can emit.
const handlers = new Map<string, (e: never) => void>();
const live = {
  status: 'connected' as 'connected' | 'connecting' | 'disconnected',
  listeners: new Set<() => void>(),
  set(status: 'connected' | 'connecting' | 'disconnected') {
    this.status = status;
    for (const l of this.listeners) l();
  },
};
vi.mock('../app/live', async () => {
  const { useSyncExternalStore } = await import('react');
  const subscribe = (l: () => void) => {
    live.listeners.add(l);
    return () => live.listeners.delete(l);
  };
  return {
    useLive: () => ({ socket: null, status: useSyncExternalStore(subscribe, () => live.status) }),
    useLiveEvent: (event: string, handler: (e: never) => void) => handlers.set(event, handler),
  };
});

function emit<E extends keyof ServerToClientEvents>(event: E, payload: Parameters<ServerToClientEvents[E]>[0]) {
  act(() => (handlers.get(event) as (e: typeof payload) => void)(payload));
}

const jobEvent = (over: Partial<JobEvent> = {}): JobEvent => ({
  jobId: 'j1',
  kind: 'finalize_report',
  subject: { type: 'report', id: 'r1' },
  state: 'active',
  progress: 40,
  stage: 'rendering',
  attempt: 1,
  ...over,
});

const jobView = (over: Partial<JobView> = {}): JobView => ({
  id: 'j1',
  kind: 'finalize_report',
  state: 'active',
  progress: 55,
  stage: 'storing',
  attempts: 1,
  failedReason: null,
  waitingFor: null,
  result: null,
  subject: { type: 'report', id: 'r1' },
  createdAt: '2026-11-28T10:00:00Z',
  startedAt: null,
  finishedAt: null,
  ...over,
});

const signer = { ...USERS.staff, signer: true };
const toast = () => screen.findByTestId('job-toast');

beforeEach(() => {
  handlers.clear();
  live.status = 'connected';
  live.listeners.clear();
  notificationStore.clear();
});

describe('JobTracker', () => {
  it('resynchronises from the jobs API on mount: a reload mid-job shows its progress', async () => {
    const { api, calls } = await signedInApi(signer, (url) => (url.pathname === '/api/jobs' ? json([jobView()]) : json({}, 404)));
    renderWithProviders(<JobTracker store={new JobStore(null)} />, { api });
    expect(await toast()).toHaveAttribute('data-state', 'running');
    expect(screen.getByText('Generando informe…')).toBeInTheDocument();
    expect(screen.getByText('Guardando · 55 %')).toBeInTheDocument();
    const list = calls.find((u) => u.pathname === '/api/jobs');
    expect(list?.searchParams.get('mine')).toBe('true');
    expect(list?.searchParams.get('active')).toBe('true');
    expect(notificationStore.getSnapshot()[0]).toMatchObject({ id: 'job-j1', progress: 55, read: true });
  });

  it('updates the toast from socket events, then offers the PDF and records the outcome', async () => {
    const store = new JobStore(null);
    store.track({ jobId: 'j1', kind: 'finalize_report', state: 'queued', reportId: 'r1' });
    const { api, calls } = await signedInApi(signer, (url) =>
      url.pathname === '/api/jobs' ? json([]) : url.pathname === '/api/jobs/j1' ? json(jobView({ progress: 10, stage: 'loading' })) : json({}, 404),
    );
    const { queryClient } = renderWithProviders(<JobTracker store={store} />, { api });
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    await waitFor(() => expect(calls.some((u) => u.pathname === '/api/jobs/j1')).toBe(true));

    emit('job:progress', jobEvent({ progress: 70, stage: 'rendering' }));
    expect(await screen.findByText('Generando el PDF · 70 %')).toBeInTheDocument();

    emit('job:completed', jobEvent({ state: 'completed', progress: 100, stage: null }));
    emit('report:ready', { reportId: 'r1', version: 2, protocolId: 'p1' });
    await waitFor(() => expect(screen.getByTestId('job-toast')).toHaveAttribute('data-state', 'ready'));
    expect(screen.getByText('Informe listo')).toBeInTheDocument();
    expect(screen.getByText('La versión 2 está finalizada.')).toBeInTheDocument();
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ['report', 'r1'] });
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ['protocols'] });
    expect(notificationStore.getSnapshot()[0]).toMatchObject({ id: 'job-j1', title: 'Informe listo', read: false });

    fireEvent.click(within(screen.getByTestId('job-toast')).getByRole('button', { name: 'Ver PDF' }));
    expect(await screen.findByTestId('pdf-viewer')).toBeInTheDocument();
    await waitFor(() => expect(calls.some((u) => u.pathname === '/api/reports/r1/versions/2/pdf')).toBe(true));
  });

  it('says what a job that waits is waiting for (a full disk), and stops saying it once the job goes on', async () => {
    const store = new JobStore(null);
    store.track({ jobId: 'j1', kind: 'finalize_report', state: 'queued', reportId: 'r1' });
    const { api } = await signedInApi(signer, (url) => (url.pathname === '/api/jobs' ? json([]) : url.pathname === '/api/jobs/j1' ? json(jobView()) : json({}, 404)));
    renderWithProviders(<JobTracker store={store} />, { api });
    await toast();
    emit('job:failed', jobEvent({ state: 'retrying', progress: 60, stage: 'storing', failedReason: 'ENOSPC: no space left on device, write', waitingFor: 'DISK_FULL' }));
    const waiting = await screen.findByTestId('job-waiting');
    expect(waiting).toHaveTextContent('Espera espacio: el disco del servidor está lleno. Seguirá solo en cuanto haya sitio.');
    expect(screen.getByTestId('job-toast')).toHaveAttribute('data-state', 'running');
    expect(screen.queryByText(/ENOSPC/)).toBeNull();
    expect(notificationStore.getSnapshot()[0].message).toMatch(/Guardando · Espera espacio/);

    emit('job:progress', jobEvent({ progress: 80, stage: 'storing', failedReason: null, waitingFor: null }));
    await waitFor(() => expect(screen.queryByTestId('job-waiting')).toBeNull());
  });

  it('shows the failure with a retry that finalizes again and follows the new job', async () => {
    const store = new JobStore(null);
    store.track({ jobId: 'j1', kind: 'finalize_report', state: 'queued', reportId: 'r1' });
    const { api, calls } = await signedInApi(signer, (url, init) => {
      if (url.pathname === '/api/reports/r1/finalize' && init?.method === 'POST') return json({ jobId: 'j2', kind: 'finalize_report', state: 'queued', reportId: 'r1' }, 202);
      if (url.pathname === '/api/jobs') return json([]);
      if (url.pathname === '/api/jobs/j1') return json(jobView({ state: 'failed', failedReason: 'La plantilla no existe' }));
      return json({}, 404);
    });
    renderWithProviders(<JobTracker store={store} />, { api });
    await waitFor(() => expect(screen.getByTestId('job-toast')).toHaveAttribute('data-state', 'failed'));
    expect(screen.getByText('La plantilla no existe')).toBeInTheDocument();
    expect(notificationStore.getSnapshot()[0]).toMatchObject({ id: 'job-j1', color: 'red', read: false });

    fireEvent.click(screen.getByRole('button', { name: 'Reintentar' }));
    await waitFor(() => expect(screen.getByTestId('job-toast')).toHaveAttribute('data-state', 'running'));
    expect(calls.filter((u) => u.pathname === '/api/reports/r1/finalize')).toHaveLength(1);
    expect(store.forReport('r1')?.jobId).toBe('j2');
  });

  it('resynchronises again when the socket comes back', async () => {
    live.status = 'disconnected';
    const { api, calls } = await signedInApi(signer, (url) => (url.pathname === '/api/jobs' ? json([]) : json({}, 404)));
    renderWithProviders(<JobTracker store={new JobStore(null)} />, { api });
    await waitFor(() => expect(calls.filter((u) => u.pathname === '/api/jobs')).toHaveLength(1));
    act(() => live.set('connecting'));
    act(() => live.set('connected'));
    await waitFor(() => expect(calls.filter((u) => u.pathname === '/api/jobs').length).toBeGreaterThanOrEqual(2));
  });
});
