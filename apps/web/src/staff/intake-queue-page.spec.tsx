import type { Page, ProtocolSummary } from '@vetlab/shared';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { apiError, Call, fakeApi, renderWithApp, users } from '../intake/test-support';
import { IntakeQueuePage } from './intake-queue-page';

const summary = (n: number, over: Partial<ProtocolSummary> = {}): ProtocolSummary => ({
  id: `p${n}`,
  code: `P-2026-0000${n}`,
  status: 'submitted',
  priority: 'routine',
  clinic: { id: 'c1', name: 'Clínica Norte' },
  vet: null,
  animalName: `Animal ${n}`,
  species: 'dog',
  ownerName: 'Dueña',
  createdAt: '2026-03-01T10:00:00.000Z',
  receivedAt: null,
  version: n + 1,
  ...over,
});
const page = (items: ProtocolSummary[]): Page<ProtocolSummary> => ({ items, total: items.length, page: 1, pageSize: 25 });

/** A queue with submitted p1, p2 and received p3; every transition answers with a minimal detail. */
function setup(overrides: Record<string, (c: Call) => unknown> = {}) {
  const submitted = [summary(1), summary(2)];
  const received = [summary(3, { status: 'received', receivedAt: '2026-03-02T09:00:00.000Z' })];
  const api = fakeApi(
    {
      'GET /protocols': (c) => {
        const items = c.query.get('status') === 'received' ? received : submitted;
        return c.query.get('pageSize') === '1' ? { ...page(items.slice(0, 1)), total: items.length, pageSize: 1 } : page(items);
      },
      'POST /protocols/p1/receive': () => ({ ...summary(1), status: 'received', availableActions: [] }),
      'POST /protocols/p1/reject': () => ({ ...summary(1), status: 'rejected', availableActions: [] }),
      'POST /protocols/p3/start-analysis': () => ({ ...summary(3), status: 'in_analysis', availableActions: [] }),
      ...overrides,
    },
    users.staff,
  );
  return api;
}

const rowOf = (code: string) =>
  waitFor(() => {
    const row = screen.queryAllByTestId('protocol-row').find((r) => within(r).queryByText(code));
    if (!row) throw new Error(`no row ${code}`);
    return row;
  });

describe('IntakeQueuePage', () => {
  it('lists submitted protocols oldest first with the counts of both tabs', async () => {
    const api = setup();
    renderWithApp(<IntakeQueuePage />, { client: api.client, route: '/intake' });
    expect(await screen.findAllByTestId('protocol-row')).toHaveLength(2);
    const list = api.callsTo('GET', '/protocols').find((c) => c.query.get('pageSize') === '25')!;
    expect(Object.fromEntries(list.query)).toMatchObject({ status: 'submitted', sort: 'createdAt', page: '1' });
    await waitFor(() => expect(screen.getByTestId('count-submitted')).toHaveTextContent('2'));
    expect(screen.getByTestId('count-received')).toHaveTextContent('1');
  });

  it('receives a protocol with the version it showed, then refreshes the list', async () => {
    const api = setup();
    renderWithApp(<IntakeQueuePage />, { client: api.client, route: '/intake' });
    const before = api.callsTo('GET', '/protocols').length;
    fireEvent.click(within(await rowOf('P-2026-00001')).getByRole('button', { name: 'Recibir' }));
    await waitFor(() => expect(api.callsTo('POST', '/protocols/p1/receive')).toHaveLength(1));
    expect(api.callsTo('POST', '/protocols/p1/receive')[0].body).toEqual({ version: 2 });
    expect(await screen.findByText('Protocolo P-2026-00001 recibido.')).toBeInTheDocument();
    await waitFor(() => expect(api.callsTo('GET', '/protocols').length).toBeGreaterThan(before));
  });

  it('starts the analysis of a received protocol from the second tab', async () => {
    const api = setup();
    renderWithApp(<IntakeQueuePage />, { client: api.client, route: '/intake' });
    fireEvent.click(await screen.findByRole('tab', { name: /Recibidos, por analizar/ }));
    const row = await rowOf('P-2026-00003');
    expect(within(row).queryByRole('button', { name: 'Recibir' })).not.toBeInTheDocument();
    fireEvent.click(within(row).getByRole('button', { name: 'Iniciar análisis' }));
    await waitFor(() => expect(api.callsTo('POST', '/protocols/p3/start-analysis')).toHaveLength(1));
    expect(api.callsTo('POST', '/protocols/p3/start-analysis')[0].body).toEqual({ version: 4 });
    const list = api.callsTo('GET', '/protocols').filter((c) => c.query.get('status') === 'received' && c.query.get('pageSize') === '25');
    expect(list[0].query.get('sort')).toBe('receivedAt');
  });

  it('asks for a reason of 3 to 500 characters before rejecting', async () => {
    const api = setup();
    renderWithApp(<IntakeQueuePage />, { client: api.client, route: '/intake' });
    fireEvent.click(within(await rowOf('P-2026-00001')).getByRole('button', { name: 'Rechazar' }));
    const dialog = await screen.findByRole('dialog', { name: 'Rechazar P-2026-00001' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Rechazar protocolo' }));
    expect(await within(dialog).findByText('Al menos 3 caracteres')).toBeInTheDocument();
    fireEvent.change(within(dialog).getByLabelText(/Motivo del rechazo/), { target: { value: 'ok' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Rechazar protocolo' }));
    expect(await within(dialog).findByText('Al menos 3 caracteres')).toBeInTheDocument();
    expect(api.callsTo('POST', '/protocols/p1/reject')).toHaveLength(0);

    fireEvent.change(within(dialog).getByLabelText(/Motivo del rechazo/), { target: { value: '  Muestra hemolizada ' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Rechazar protocolo' }));
    await waitFor(() => expect(api.callsTo('POST', '/protocols/p1/reject')).toHaveLength(1));
    expect(api.callsTo('POST', '/protocols/p1/reject')[0].body).toEqual({ reason: 'Muestra hemolizada', version: 2 });
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it("explains a 409 in the user's words and refreshes the list", async () => {
    const api = setup({ 'POST /protocols/p1/receive': () => apiError(409, 'protocol is already received', undefined, 'PROTOCOL_ALREADY_IN_STATUS') });
    renderWithApp(<IntakeQueuePage />, { client: api.client, route: '/intake' });
    const before = api.callsTo('GET', '/protocols').length;
    fireEvent.click(within(await rowOf('P-2026-00001')).getByRole('button', { name: 'Recibir' }));
    expect(await screen.findByText('Otra persona ya lo marcó como recibido. La lista se actualizó.')).toBeInTheDocument();
    expect(screen.getByText('No se aplicó el cambio a P-2026-00001')).toBeInTheDocument();
    await waitFor(() => expect(api.callsTo('GET', '/protocols').length).toBeGreaterThan(before));
  });

  it('says so when nothing is pending', async () => {
    const api = fakeApi({ 'GET /protocols': () => page([]) }, users.staff);
    renderWithApp(<IntakeQueuePage />, { client: api.client, route: '/intake' });
    expect(await screen.findByText('No hay muestras pendientes')).toBeInTheDocument();
    expect(screen.queryByTestId('protocol-row')).not.toBeInTheDocument();
  });
});
