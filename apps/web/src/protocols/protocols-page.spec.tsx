import type { Page, ProtocolSummary } from '@vetlab/shared';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PHONE_QUERY } from '../app/phone';
import { json, phoneScreen, renderWithProviders, signedInApi, USERS } from '../testing/render';
import { ProtocolsPage } from './protocols-page';

const protocol = (n: number, over: Partial<ProtocolSummary> = {}): ProtocolSummary => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  code: `P-2026-${String(n).padStart(6, '0')}`,
  status: 'submitted',
  priority: 'routine',
  clinic: { id: 'c1', name: 'Clínica Norte' },
  vet: { id: 'v1', name: 'Dra. Vet' },
  animalName: `Animal ${n}`,
  species: 'dog',
  ownerName: `Dueño ${n}`,
  createdAt: '2026-03-01T10:00:00.000Z',
  receivedAt: null,
  ...over,
});
const page = (items: ProtocolSummary[], total = items.length): Page<ProtocolSummary> => ({ items, total, page: 1, pageSize: 25 });
const CLINICS = [{ id: 'c1', name: 'Clínica Norte', resultEmails: [], reportLanguage: 'es' }];

/** Answers GET /api/protocols with `list` (called with the query) and /api/clinics with CLINICS. */
async function setup(user: keyof typeof USERS, list: (q: URLSearchParams) => Page<ProtocolSummary> | Response, at = '/protocols') {
  const { api, calls } = await signedInApi(USERS[user], (url) => {
    if (url.pathname === '/api/clinics') return json(CLINICS);
    if (url.pathname === '/api/protocols') {
      const out = list(url.searchParams);
      return out instanceof Response ? out : json(out);
    }
    return json({ message: 'not here' }, 404);
  });
  const protocolCalls = () => calls.filter((u) => u.pathname === '/api/protocols').map((u) => u.searchParams);
  const view = renderWithProviders(<ProtocolsPage />, { api, at, path: '/protocols' });
  return { ...view, calls, protocolCalls };
}

describe('ProtocolsPage', () => {
  it('renders one row per protocol with the clinic column for the lab', async () => {
    const { protocolCalls, calls } = await setup('admin', () =>
      page([protocol(1, { status: 'in_analysis', species: 'cat', priority: 'urgent' }), protocol(2, { clinic: { id: 'c2', name: 'Clínica Sur' } })]),
    );
    const rows = await screen.findAllByTestId('protocol-row');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByText('P-2026-000001')).toBeInTheDocument();
    expect(within(rows[0]).getByTestId('status-badge')).toHaveTextContent('En análisis');
    expect(within(rows[0]).getByText('(Gato)')).toBeInTheDocument();
    expect(within(rows[0]).getByText('Urgente')).toBeInTheDocument();
    expect(within(rows[1]).getByText('Clínica Sur')).toBeInTheDocument();
    // Names stay on one line, cut where the column ends: the whole text shows on hover.
    expect(within(rows[1]).getByText('Clínica Sur').closest('td')).toHaveAttribute('title', 'Clínica Sur · Dra. Vet');
    expect(within(rows[1]).getByText('Dueño 2').closest('td')).toHaveAttribute('title', 'Dueño 2');
    expect(screen.getByRole('columnheader', { name: 'Clínica / veterinario/a' })).toBeInTheDocument();
    expect(screen.queryByRole('columnheader', { name: 'Veterinario/a' })).not.toBeInTheDocument();
    expect(screen.getByTestId('protocols-total')).toHaveTextContent('2 protocolos');
    expect(Object.fromEntries(protocolCalls()[0])).toEqual({ page: '1', pageSize: '25', sort: '-createdAt' });
    expect(calls.some((u) => u.pathname === '/api/clinics')).toBe(true);
  });

  it('says "more than" when the count stopped at its cap', async () => {
    await setup('staff', () => ({ ...page([protocol(1), protocol(2)], 10_000), totalCapped: true }));
    await screen.findAllByTestId('protocol-row');
    expect(screen.getByTestId('protocols-total')).toHaveTextContent('más de 10.000 protocolos');
    expect(screen.getByTestId('protocols-range')).toHaveTextContent('1–25 de más de 10.000');
  });

  it('hides the clinic column and filter from a vet', async () => {
    const { calls } = await setup('vet', () => page([protocol(1)]));
    await screen.findAllByTestId('protocol-row');
    expect(screen.queryByRole('columnheader', { name: 'Clínica / veterinario/a' })).not.toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: 'Veterinario/a' })).toBeInTheDocument();
    expect(screen.queryByTestId('filter-clinic')).not.toBeInTheDocument();
    expect(calls.some((u) => u.pathname === '/api/clinics')).toBe(false);
  });

  it('sends the filters in the URL to the API', async () => {
    const { protocolCalls } = await setup(
      'staff',
      () => page([protocol(1, { status: 'received' })]),
      '/protocols?status=received,in_analysis&species=cow&from=2026-01-01&to=2026-01-31&q=luna&page=2&pageSize=50&sort=ownerName',
    );
    await screen.findAllByTestId('protocol-row');
    expect(Object.fromEntries(protocolCalls()[0])).toEqual({
      page: '2',
      pageSize: '50',
      sort: 'ownerName',
      status: 'received,in_analysis',
      species: 'cow',
      from: '2026-01-01',
      to: '2026-01-31',
      q: 'luna',
    });
  });

  it('sorts by a column when its header is clicked, and flips on the second click', async () => {
    const { protocolCalls, router } = await setup('admin', () => page([protocol(1)]));
    await screen.findAllByTestId('protocol-row');
    fireEvent.click(screen.getByRole('button', { name: 'Código' }));
    await waitFor(() => expect(protocolCalls().at(-1)?.get('sort')).toBe('code'));
    expect(router.state.location.search).toBe('?sort=code');
    expect(screen.getByRole('columnheader', { name: 'Código' })).toHaveAttribute('aria-sort', 'ascending');
    fireEvent.click(screen.getByRole('button', { name: 'Código' }));
    await waitFor(() => expect(protocolCalls().at(-1)?.get('sort')).toBe('-code'));
    expect(screen.getByRole('columnheader', { name: 'Código' })).toHaveAttribute('aria-sort', 'descending');
  });

  it('shows an empty state whose button clears the filters', async () => {
    const { protocolCalls, router } = await setup(
      'admin',
      (q) => (q.get('status') ? page([]) : page([protocol(3)])),
      '/protocols?status=rejected&species=horse',
    );
    expect(await screen.findByText('No hay protocolos que coincidan')).toBeInTheDocument();
    fireEvent.click(within(screen.getByTestId('protocols-empty')).getByRole('button', { name: 'Limpiar filtros' }));
    expect(await screen.findAllByTestId('protocol-row')).toHaveLength(1);
    expect(router.state.location.search).toBe('');
    expect(protocolCalls().at(-1)?.get('status')).toBeNull();
  });

  it('searches after the user stops typing, from page 1', async () => {
    const { protocolCalls, router } = await setup('admin', () => page([protocol(1)]), '/protocols?page=3');
    await screen.findAllByTestId('protocol-row');
    fireEvent.change(screen.getByLabelText('Buscar'), { target: { value: 'lu' } });
    fireEvent.change(screen.getByLabelText('Buscar'), { target: { value: 'luna' } });
    await waitFor(() => expect(protocolCalls().at(-1)?.get('q')).toBe('luna'));
    expect(protocolCalls().some((q) => q.get('q') === 'lu')).toBe(false);
    expect(router.state.location.search).toBe('?q=luna');
  });

  it('opens a protocol when its row is clicked', async () => {
    const { router } = await setup('vet', () => page([protocol(7)]));
    fireEvent.click((await screen.findAllByTestId('protocol-row'))[0]);
    await waitFor(() => expect(router.state.location.pathname).toBe(`/protocols/${protocol(7).id}`));
  });

  it('shows an error with a retry that loads again', async () => {
    let fail = true;
    await setup('admin', () => (fail ? json({ statusCode: 500, error: 'Internal', message: 'Boom', code: 'INTERNAL_ERROR', correlationId: 'c-1' }, 500) : page([protocol(9)])));
    // The default query client retries 5xx; the test one does not.
    expect(await screen.findByRole('alert')).toHaveTextContent('Error inesperado del servidor');
    expect(screen.getByRole('alert')).not.toHaveTextContent('Boom');
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Reintentar' }));
    expect(await screen.findAllByTestId('protocol-row')).toHaveLength(1);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});

describe('ProtocolsPage on a phone', () => {
  beforeEach(() => phoneScreen(PHONE_QUERY));
  afterEach(() => phoneScreen(null));

  it('shows one card per protocol, sorts with the picker and keeps the filters behind a button', { timeout: 15_000 }, async () => {
    const { protocolCalls, router } = await setup('vet', () => page([protocol(1, { status: 'reported', species: 'cat', priority: 'urgent' }), protocol(2)]));
    const cards = await screen.findAllByTestId('protocol-row');
    expect(cards).toHaveLength(2);
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(within(cards[0]).getByText('P-2026-000001')).toBeInTheDocument();
    expect(within(cards[0]).getByTestId('status-badge')).toHaveTextContent('Informado');
    expect(within(cards[0]).getByText('(Gato)')).toBeInTheDocument();
    expect(within(cards[0]).getByText('Urgente')).toBeInTheDocument();
    expect(within(cards[0]).getByText('Dra. Vet')).toBeInTheDocument();

    // Only the search is out; the rest waits behind "Filtros (n)".
    expect(screen.getByLabelText('Buscar')).toBeInTheDocument();
    expect(screen.queryByTestId('filter-species')).not.toBeInTheDocument();
    fireEvent.click(screen.getByTestId('filters-toggle'));
    expect(screen.getByTestId('filter-species')).toBeInTheDocument();
    expect(screen.getByTestId('filters-toggle')).toHaveTextContent('Filtros (0)');

    // The sort picker asks the server for that order, from page 1.
    fireEvent.click(screen.getByTestId('protocol-sort'));
    fireEvent.click(await screen.findByRole('option', { name: 'Animal ▲', hidden: true }));
    await waitFor(() => expect(protocolCalls().at(-1)?.get('sort')).toBe('animalName'));
    expect(router.state.location.search).toContain('sort=animalName');

    fireEvent.click(cards[1]);
    await waitFor(() => expect(router.state.location.pathname).toBe(`/protocols/${protocol(2).id}`));
  });
});
