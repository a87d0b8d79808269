import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { OpsJobRow } from '@vetlab/shared';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { json, renderWithProviders, signedInApi, USERS } from '../testing/render';
import { JobsTab } from './jobs-tab';
import { StuckTab } from './stuck-tab';
import { jobRow } from './test-support';

/** The tab under an overview whose counts change when the button is pressed. */
function CountsChange() {
  const [key, setKey] = useState('a');
  return (
    <>
      <button onClick={() => setKey('b')}>counts changed</button>
      <JobsTab countsKey={key} />
    </>
  );
}

const page = (items: OpsJobRow[], total = items.length) => json({ items, total, page: 1, pageSize: 25 });
const people = (url: URL) => (url.pathname === '/api/users' ? json({ items: url.searchParams.get('role') === 'staff' ? [{ ...USERS.staff, active: true, createdAt: '' }] : [], total: 1, page: 1, pageSize: 200 }) : null);

describe('JobsTab', () => {
  it('asks for the filters in the URL, names each job’s subject with a link, and pages', async () => {
    const { api, calls } = await signedInApi(USERS.admin, (url) => people(url) ?? page([jobRow()], 60));
    renderWithProviders(<JobsTab countsKey="a" />, { api, at: '/ops?tab=jobs&queue=reports&state=failed&subject=P-2026' });
    const row = await screen.findByTestId('ops-job');
    const asked = calls.find((u) => u.pathname === '/api/ops/jobs');
    expect(Object.fromEntries(asked?.searchParams ?? [])).toEqual({ queue: 'reports', state: 'failed', subject: 'P-2026', page: '1', pageSize: '25' });
    expect(within(row).getByRole('link', { name: 'Informe de P-2026-000123 v2' })).toHaveAttribute('href', '/protocols/p1?tab=report');
    expect(within(row).getByText('Fallido')).toBeInTheDocument();
    expect(within(row).getByText('PDF renderer crashed')).toBeInTheDocument();
    expect(screen.getByTestId('jobs-total')).toHaveTextContent('60 trabajos');
    fireEvent.click(screen.getByRole('button', { name: '2' }));
    await waitFor(() => expect(calls.some((u) => u.pathname === '/api/ops/jobs' && u.searchParams.get('page') === '2')).toBe(true));
  });

  it('shows the stages and the last error in a drawer', async () => {
    const { api } = await signedInApi(USERS.admin, (url) => people(url) ?? page([jobRow()]));
    renderWithProviders(<JobsTab countsKey="a" />, { api, at: '/ops?tab=jobs' });
    fireEvent.click(await screen.findByRole('button', { name: 'Detalle' }));
    const details = await screen.findByTestId('job-details');
    expect(within(details).getByTestId('job-stages')).toHaveTextContent('Cargando datos');
    expect(within(details).getByTestId('job-stages')).toHaveTextContent('120 ms');
    expect(within(details).getByTestId('job-error')).toHaveTextContent('PDF renderer crashed');
  });

  it('retries a job, and shows its own words for a refusal code', async () => {
    let refuse = false;
    const { api, calls } = await signedInApi(USERS.admin, (url, init) => {
      if (url.pathname === '/api/ops/jobs/j1/retry' && init?.method === 'POST')
        return refuse ? json({ statusCode: 409, error: 'Conflict', message: 'job j1 is completed', code: 'JOB_NOT_RETRYABLE' }, 409) : json(jobRow({ state: 'queued', actions: [] }));
      return people(url) ?? page([jobRow()]);
    });
    renderWithProviders(<JobsTab countsKey="a" />, { api, at: '/ops?tab=jobs' });
    const row = await screen.findByTestId('ops-job');
    fireEvent.click(within(row).getByRole('button', { name: 'Reintentar' }));
    expect(await screen.findByText('Trabajo reintentado.')).toBeInTheDocument();
    refuse = true;
    fireEvent.click(within(await screen.findByTestId('ops-job')).getByRole('button', { name: 'Reintentar' }));
    expect(await screen.findByText('Este trabajo ya no está fallido: no se puede reintentar.')).toBeInTheDocument();
    expect(calls.filter((u) => u.pathname === '/api/ops/jobs/j1/retry')).toHaveLength(2);
  });

  it('discards only after a confirmation', async () => {
    const { api, calls } = await signedInApi(USERS.admin, (url, init) => (url.pathname === '/api/ops/jobs/j1/discard' && init?.method === 'POST' ? json(jobRow()) : (people(url) ?? page([jobRow()]))));
    renderWithProviders(<JobsTab countsKey="a" />, { api, at: '/ops?tab=jobs' });
    fireEvent.click(within(await screen.findByTestId('ops-job')).getByTestId('job-discard'));
    expect(await screen.findByText(/¿Descartar «Informe de P-2026-000123 v2»\?/)).toBeInTheDocument();
    expect(calls.some((u) => u.pathname.endsWith('/discard'))).toBe(false);
    fireEvent.click(screen.getByTestId('job-discard-confirm'));
    await waitFor(() => expect(calls.filter((u) => u.pathname === '/api/ops/jobs/j1/discard')).toHaveLength(1));
  });

  it('refetches the page when the overview’s counts change, and says when nothing matches or loading failed', async () => {
    let fail = false;
    const { api, calls } = await signedInApi(USERS.admin, (url) => people(url) ?? (fail ? json({ statusCode: 503, error: 'Service Unavailable', message: 'the database is busy' }, 503) : page([])));
    renderWithProviders(<CountsChange />, { api, at: '/ops?tab=jobs' });
    expect(await screen.findByTestId('jobs-empty')).toHaveTextContent('Todavía no hay trabajos en segundo plano.');
    const asked = () => calls.filter((u) => u.pathname === '/api/ops/jobs').length;
    expect(asked()).toBe(1);
    fail = true;
    fireEvent.click(screen.getByRole('button', { name: 'counts changed' }));
    await waitFor(() => expect(asked()).toBe(2));
    expect(await screen.findByText('No se pudieron cargar los trabajos')).toBeInTheDocument();
  });

  it('with a filter set, an empty page says nothing matches', async () => {
    const { api } = await signedInApi(USERS.admin, (url) => people(url) ?? page([]));
    renderWithProviders(<CountsChange />, { api, at: '/ops?tab=jobs&state=failed' });
    expect(await screen.findByTestId('jobs-empty')).toHaveTextContent('Ningún trabajo coincide con los filtros.');
  });
});

describe('StuckTab', () => {
  it('lists stuck jobs with the reason, for how long, the limit, and hands one back', async () => {
    const stuck = { job: jobRow({ state: 'active', actions: ['hand_back'] }), reason: 'too_long', forMs: 3_900_000, limitMs: 600_000 };
    const { api, calls } = await signedInApi(USERS.admin, (url, init) =>
      url.pathname === '/api/ops/jobs/j1/hand-back' && init?.method === 'POST' ? json(stuck.job) : url.pathname === '/api/ops/stuck' ? json([stuck]) : json({ statusCode: 404, error: 'Not Found', message: url.pathname }, 404),
    );
    renderWithProviders(<StuckTab countsKey="a" />, { api, at: '/ops?tab=stuck' });
    const row = await screen.findByTestId('stuck-job');
    expect(row).toHaveTextContent('Demasiado tiempo en curso');
    expect(row).toHaveTextContent('65 min');
    expect(row).toHaveTextContent('10 min');
    fireEvent.click(within(row).getByRole('button', { name: 'Devolver a la cola' }));
    await waitFor(() => expect(calls.filter((u) => u.pathname === '/api/ops/jobs/j1/hand-back')).toHaveLength(1));
    expect(await screen.findByText('Trabajo devuelto a la cola.')).toBeInTheDocument();
  });

  it('says when nothing is stuck', async () => {
    const { api } = await signedInApi(USERS.admin, () => json([]));
    renderWithProviders(<StuckTab countsKey="a" />, { api });
    expect(await screen.findByTestId('stuck-empty')).toHaveTextContent('No hay trabajos atascados.');
  });
});
