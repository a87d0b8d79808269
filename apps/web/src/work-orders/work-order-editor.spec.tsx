import type { WorkOrderView } from '@vetlab/shared';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { apiError, fakeApi, renderWithApp, users } from '../intake/test-support';
import { WorkOrderEditor } from './work-order-editor';

const workOrder = (over: Partial<WorkOrderView> = {}): WorkOrderView => ({
  id: 'wo1',
  protocolId: 'p1',
  protocolCode: 'P-2026-00001',
  priority: 'routine',
  instructions: null,
  sections: [
    { section: 'hemograma', sampleType: 'whole_blood_edta', requirement: '1 ml de sangre entera con EDTA', analytes: [{ code: 'HTO', name: 'Hematocrito' }] },
    { section: 'bioquimica_serica', sampleType: 'serum', requirement: '0,5 ml de suero', analytes: [{ code: 'GLU', name: 'Glucosa' }] },
  ],
  contentVersion: 3,
  updatedAt: '2026-03-01T10:00:00.000Z',
  ...over,
});

const stale = () => apiError(409, 'work order was changed by someone else; reload it and apply your change again', undefined, 'STALE');

describe('WorkOrderEditor', () => {
  it('sends only what changed with the content version and shows the new version', async () => {
    const api = fakeApi({ 'PATCH /work-orders/wo1': () => workOrder({ instructions: 'Centrifugar al llegar', contentVersion: 4 }) }, users.staff);
    renderWithApp(<WorkOrderEditor workOrder={workOrder()} />, { client: api.client });
    expect(screen.getByTestId('content-version')).toHaveTextContent('Versión de contenido 3');
    expect(screen.getByRole('button', { name: 'Guardar orden de trabajo' })).toBeDisabled();
    fireEvent.change(screen.getByLabelText(/Instrucciones para el laboratorio/), { target: { value: ' Centrifugar al llegar ' } });
    fireEvent.change(screen.getByLabelText(/Bioquímica sérica/), { target: { value: '1 ml de suero' } });
    fireEvent.click(screen.getByRole('button', { name: 'Guardar orden de trabajo' }));
    await waitFor(() => expect(api.callsTo('PATCH', '/work-orders/wo1')).toHaveLength(1));
    expect(api.callsTo('PATCH', '/work-orders/wo1')[0].body).toEqual({
      contentVersion: 3,
      instructions: 'Centrifugar al llegar',
      requirements: [{ section: 'bioquimica_serica', requirement: '1 ml de suero' }],
    });
    await waitFor(() => expect(screen.getByTestId('content-version')).toHaveTextContent('Versión de contenido 4'));
    expect(screen.getByText('Orden de trabajo guardada: versión 4.')).toBeInTheDocument();
  });

  it('refuses an empty sample requirement before sending', async () => {
    const api = fakeApi({}, users.staff);
    renderWithApp(<WorkOrderEditor workOrder={workOrder()} />, { client: api.client });
    fireEvent.change(screen.getByLabelText(/Hemograma/), { target: { value: '  ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Guardar orden de trabajo' }));
    expect(await screen.findByText('Obligatorio')).toBeInTheDocument();
    expect(api.calls.filter((c) => c.method === 'PATCH')).toHaveLength(0);
  });

  it('explains a 409 and reloads their version', async () => {
    const theirs = workOrder({ priority: 'urgent', contentVersion: 5 });
    const api = fakeApi({ 'PATCH /work-orders/wo1': stale, 'GET /work-orders/wo1': () => theirs }, users.staff);
    renderWithApp(<WorkOrderEditor workOrder={workOrder()} />, { client: api.client });
    fireEvent.change(screen.getByLabelText(/Instrucciones para el laboratorio/), { target: { value: 'Urgente' } });
    fireEvent.click(screen.getByRole('button', { name: 'Guardar orden de trabajo' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Otra persona guardó cambios en esta orden de trabajo mientras editabas.');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Recargar sus cambios' }));
    await waitFor(() => expect(screen.getByTestId('content-version')).toHaveTextContent('Versión de contenido 5'));
    // The form takes their values a render after the version shows (a busy machine can see between).
    await waitFor(() => {
      expect(screen.getByLabelText(/Instrucciones para el laboratorio/)).toHaveValue('');
      expect(screen.getByLabelText('Prioridad', { selector: 'input' })).toHaveValue('Urgente');
    });
  });
});
