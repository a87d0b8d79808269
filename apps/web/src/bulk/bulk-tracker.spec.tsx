import type { BulkRunView } from '@vetlab/shared';
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../testing/render';
import { BulkProgressCard } from './bulk-progress-card';
import { withProgress } from './bulk-tracker';

const run = (over: Partial<BulkRunView> = {}): BulkRunView => ({
  id: 'b1',
  jobId: 'j1',
  action: 'receive',
  target: 'received',
  reason: null,
  state: 'running',
  total: 50,
  succeeded: 10,
  skipped: 1,
  failed: 2,
  cancelled: 0,
  done: 13,
  etaSeconds: 4,
  cancelRequested: false,
  retryOf: null,
  createdBy: { id: 'u1', name: 'Admin' },
  createdAt: '2026-11-28T10:00:00.000Z',
  startedAt: '2026-11-28T10:00:00.000Z',
  finishedAt: null,
  ...over,
});

describe('BulkProgressCard', () => {
  it('shows the bar, the counts and the time left', () => {
    renderWithProviders(<BulkProgressCard run={run()} onCancel={() => undefined} />);
    expect(screen.getByTestId('bulk-progress-title')).toHaveTextContent('Marcar como recibidos: 13/50');
    expect(screen.getByTestId('bulk-progress-counts')).toHaveTextContent('10 correctos · 1 omitido · 2 fallidos');
    expect(screen.getByText('Quedan unos 4 s')).toBeInTheDocument();
    expect(screen.getByTestId('bulk-progress-bar')).toHaveAttribute('data-done', '13');
    expect(screen.getByRole('button', { name: 'Detener' })).toBeInTheDocument();
  });

  it('a finished run says so and offers no stop button', () => {
    renderWithProviders(<BulkProgressCard run={run({ state: 'completed', done: 50, succeeded: 50, skipped: 0, failed: 0, etaSeconds: null })} onCancel={() => undefined} />);
    expect(screen.getByTestId('bulk-progress-title')).toHaveTextContent('50/50');
    expect(screen.getByText('Terminada')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Detener' })).not.toBeInTheDocument();
  });
});

describe('withProgress', () => {
  const event = { bulkId: 'b1', done: 30, total: 50, succeeded: 27, skipped: 1, failed: 2, etaSeconds: 2 };
  it('takes the counts of a newer event and marks a queued run running', () => {
    expect(withProgress(run({ state: 'queued' }), event)).toMatchObject({ state: 'running', done: 30, succeeded: 27, etaSeconds: 2 });
  });
  it('never moves a run backwards', () => {
    expect(withProgress(run({ done: 40 }), event).done).toBe(40);
  });
  it('bulk:completed closes the run', () => {
    expect(withProgress(run(), { ...event, done: 50, succeeded: 47, cancelled: 0 })).toMatchObject({ state: 'completed', etaSeconds: null });
    expect(withProgress(run(), { ...event, done: 50, cancelled: 20 })).toMatchObject({ state: 'cancelled', cancelled: 20 });
  });
});
