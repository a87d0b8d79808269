import type { CatalogueView } from '@vetlab/shared';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SubmitProtocolPage } from './submit-protocol-page';
import { apiError, Call, fakeApi, protocolDetail, renderWithApp, users } from './test-support';

const uuid = (n: number) => `00000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`;
const catalogue: CatalogueView = {
  analytes: [
    { id: uuid(1), code: 'HTO', name: 'Hematocrito', section: 'hemograma', unit: '%', kind: 'numeric', decimals: 1, ranges: [] },
    { id: uuid(2), code: 'GLU', name: 'Glucosa', section: 'bioquimica_serica', unit: 'mg/dL', kind: 'numeric', decimals: 0, ranges: [] },
  ],
  panels: [
    { id: uuid(11), code: 'HEMO', name: 'Hemograma completo', analyteIds: [uuid(1)] },
    { id: uuid(12), code: 'BQ', name: 'Bioquímica básica', analyteIds: [uuid(1), uuid(2)] },
  ],
};
const clinic = uuid(21);

function setup(role: 'vet' | 'staff', routes: Record<string, (c: Call) => unknown> = {}) {
  const api = fakeApi(
    {
      'GET /catalogue': () => catalogue,
      'GET /clinics': () => [{ id: clinic, name: 'Clínica Norte', resultEmails: [], reportLanguage: 'es' }],
      'GET /users': () => apiError(403, 'forbidden'),
      'POST /protocols': () => protocolDetail({ id: 'p9', code: 'P-2026-00009' }),
      ...routes,
    },
    users[role],
  );
  return api;
}

async function render(api: ReturnType<typeof setup>) {
  await api.signIn();
  renderWithApp(<SubmitProtocolPage />, { client: api.client, route: '/protocols/new' });
  await waitFor(() => expect(api.callsTo('GET', '/catalogue')).toHaveLength(1));
}

/** Labels of required fields end in Mantine's asterisk. */
const labelled = (label: string) => new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\*?$`);
const input = (label: string) => screen.getByLabelText(labelled(label), { selector: 'input,textarea' });
const type = (label: string, value: string) => fireEvent.change(input(label), { target: { value } });
/** Opens a Mantine select and clicks an option (searched in its own listbox: role queries over the whole page are slow). */
async function pick(label: string, option: string | RegExp) {
  const el = input(label);
  fireEvent.click(el);
  const listbox = await waitFor(() => {
    const box = document.getElementById(el.getAttribute('aria-controls') ?? '');
    if (!box) throw new Error(`${label}: dropdown did not open`);
    return box;
  });
  fireEvent.click(within(listbox).getByRole('option', { name: option }));
}
const send = () => fireEvent.click(screen.getByRole('button', { name: 'Enviar protocolo' }));

async function fillValid() {
  type('Nombre del animal', 'Luna');
  await pick('Especie', 'Perro');
  type('Años', '2');
  type('Meses', '3');
  type('Nombre del propietario/a', 'Marta Ruiz');
  type('Correo electrónico', 'marta@example.com');
  await pick('Tipo de muestra 1', 'Suero');
  await waitFor(() => expect(input('Perfiles')).toBeEnabled());
  await pick('Perfiles', /^Bioquímica básica \(BQ\)/);
}

// A long form driven through Mantine's inputs: slow in jsdom when the whole suite runs in parallel.
describe('SubmitProtocolPage', { timeout: 20_000 }, () => {
  it('checks the form with the shared schema before sending', async () => {
    const api = setup('vet');
    await render(api);
    type('Correo electrónico', 'no-es-correo');
    send();
    await waitFor(() => expect(input('Nombre del animal')).toHaveAttribute('aria-invalid', 'true'));
    expect(input('Especie')).toHaveAttribute('aria-invalid', 'true');
    expect(input('Nombre del propietario/a')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('Correo electrónico no válido')).toBeInTheDocument();
    expect(screen.getByText('Elige al menos 1')).toBeInTheDocument();
    expect(screen.getAllByText('Obligatorio').length).toBeGreaterThanOrEqual(4);
    expect(api.callsTo('POST', '/protocols')).toHaveLength(0);
    // A vet submits for their own clinic: no clinic selector.
    expect(screen.queryByLabelText('Clínica', { selector: 'input' })).not.toBeInTheDocument();
  });

  it("maps the API's field errors back onto the fields", async () => {
    const api = setup('vet', {
      'POST /protocols': () =>
        apiError(400, 'invalid', [
          { field: 'body.animal.name', message: 'name taken by the server', code: 'not_allowed' },
          { field: 'body.animal.ageMonths', message: 'too old for the server', code: 'too_big', limit: 600 },
          { field: 'body.panelIds.0', message: 'unknown panel', code: 'unknown_reference' },
          { field: 'body.mystery', message: 'something else', code: 'custom' },
        ]),
    });
    await render(api);
    await fillValid();
    send();
    // Each field in the SPA's own words for its code, never the server's English sentence.
    expect(await screen.findByText('No permitido')).toBeInTheDocument();
    expect(input('Nombre del animal')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('Por encima del máximo (600)')).toBeInTheDocument();
    expect(input('Años')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('No existe (puede que se haya borrado)')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('mystery: Valor no válido');
    expect(screen.queryByText('name taken by the server')).toBeNull();
  });

  it('sends the request, tells the new code and opens the protocol', async () => {
    const api = setup('vet');
    await render(api);
    await fillValid();
    fireEvent.click(screen.getByRole('button', { name: 'Agregar muestra' }));
    await pick('Tipo de muestra 2', 'Orina');
    type('Cantidad (2)', '2');
    send();
    await waitFor(() => expect(api.callsTo('POST', '/protocols')).toHaveLength(1));
    expect(api.callsTo('POST', '/protocols')[0].body).toEqual({
      animal: { name: 'Luna', species: 'dog', breed: null, sex: 'unknown', ageMonths: 27 },
      owner: { name: 'Marta Ruiz', phone: null, email: 'marta@example.com' },
      samples: [
        { type: 'serum', count: 1 },
        { type: 'urine', count: 2 },
      ],
      panelIds: [uuid(12)],
      priority: 'routine',
      notes: null,
    });
    expect(await screen.findByTestId('location')).toHaveTextContent('/protocols/p9');
    expect(screen.getByText('Se registró el protocolo P-2026-00009.')).toBeInTheDocument();
  });

  it('lets staff choose the clinic and leaves out the vet selector when listing vets is forbidden', async () => {
    const api = setup('staff');
    await render(api);
    await fillValid();
    send();
    await waitFor(() => expect(input('Clínica')).toHaveAttribute('aria-invalid', 'true'));
    expect(api.callsTo('POST', '/protocols')).toHaveLength(0);
    await pick('Clínica', 'Clínica Norte');
    await waitFor(() => expect(api.callsTo('GET', '/users')).toHaveLength(1));
    expect(Object.fromEntries(api.callsTo('GET', '/users')[0].query)).toMatchObject({ role: 'vet', clinicId: clinic });
    await waitFor(() => expect(screen.queryByLabelText('Veterinario/a', { selector: 'input' })).not.toBeInTheDocument());
    send();
    await waitFor(() => expect(api.callsTo('POST', '/protocols')).toHaveLength(1));
    expect(api.callsTo('POST', '/protocols')[0].body).toMatchObject({ clinicId: clinic });
  });
});
