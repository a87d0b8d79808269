import type { Page, ProtocolSummary } from '@vetlab/shared';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ProtocolsPage } from '../protocols/protocols-page';
import { json, renderWithProviders, signedInApi, USERS } from '../testing/render';

const protocol = (n: number): ProtocolSummary => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  code: `P-2026-${String(n).padStart(6, '0')}`,
  status: 'submitted',
  priority: 'routine',
  clinic: { id: 'c1', name: 'Clínica Norte' },
  vet: null,
  animalName: `Animal ${n}`,
  species: 'dog',
  ownerName: `Dueño ${n}`,
  createdAt: '2026-03-01T10:00:00.000Z',
  receivedAt: null,
});

/** The protocols page with 3 rows on screen out of `total`; records bulk requests. */
async function setup(user: keyof typeof USERS, total = 3, at = '/protocols') {
  const posted: unknown[] = [];
  const { api } = await signedInApi(USERS[user], async (url, init) => {
    if (url.pathname === '/api/clinics') return json([]);
    if (url.pathname === '/api/protocols') return json({ items: [1, 2, 3].map(protocol), total, page: 1, pageSize: 25 } satisfies Page<ProtocolSummary>);
    if (url.pathname === '/api/protocols/bulk') {
      posted.push(JSON.parse(String(init?.body)));
      return json({ jobId: 'j1', kind: 'bulk_protocols', state: 'queued', bulkId: 'b1', total: 2 }, 202);
    }
    if (url.pathname === '/api/bulk') return json({ items: [], total: 0, page: 1, pageSize: 20 });
    return json({ message: 'not here' }, 404);
  });
  renderWithProviders(<ProtocolsPage />, { api, at, path: '/protocols' });
  await screen.findAllByTestId('protocol-row');
  return { posted };
}

describe('bulk selection and actions', () => {
  it('an admin ticks rows, picks reject, must give a reason, and the ids go to the API', async () => {
    const { posted } = await setup('admin');
    expect(screen.queryByTestId('bulk-bar')).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Seleccionar P-2026-000001' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Seleccionar P-2026-000003' }));
    expect(screen.getByTestId('bulk-selected')).toHaveTextContent('2 seleccionados');

    fireEvent.click(screen.getByTestId('bulk-actions'));
    fireEvent.click(await screen.findByRole('menuitem', { name: 'Rechazar' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('¿Aplicar a 2 protocolos?');
    fireEvent.click(within(dialog).getByTestId('bulk-confirm'));
    expect(await within(dialog).findByText('Escribe un motivo de al menos 3 caracteres.')).toBeInTheDocument();
    expect(posted).toEqual([]);

    fireEvent.change(within(dialog).getByLabelText(/Motivo del rechazo/), { target: { value: 'muestra coagulada' } });
    fireEvent.click(within(dialog).getByTestId('bulk-confirm'));
    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toEqual({ action: 'reject', reason: 'muestra coagulada', ids: [protocol(1).id, protocol(3).id] });
    expect(await screen.findByText('Procesando 2 protocolos')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByTestId('bulk-bar')).not.toBeInTheDocument());
  });

  it('a whole page, then "all N matching the filter", sends the filter instead of ids', async () => {
    const { posted } = await setup('admin', 120, '/protocols?status=submitted&species=dog');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Seleccionar los protocolos de esta página' }));
    expect(screen.getByTestId('bulk-selected')).toHaveTextContent('3 seleccionados');
    fireEvent.click(screen.getByTestId('bulk-select-all'));
    expect(screen.getByTestId('bulk-selected')).toHaveTextContent('Los 120 protocolos que coinciden con el filtro están seleccionados');

    fireEvent.click(screen.getByTestId('bulk-actions'));
    fireEvent.click(await screen.findByRole('menuitem', { name: 'Marcar como recibidos' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByTestId('bulk-confirm'));
    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toEqual({ action: 'receive', filter: { status: ['submitted'], species: 'dog' } });
  });

  it('offers no selection to staff or vets', async () => {
    await setup('staff');
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();
  });
});
