import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, renderWithProviders, signedInApi, USERS } from '../testing/render';
import { NewPersonModal } from './new-person-modal';

const CLINICS = [
  { id: '6d2f3c2e-0b7c-4a53-9a53-0d6f1c8e7b11', name: 'Clínica Norte' },
  { id: '7e3a4d3f-1c8d-4b64-8b64-1e7a2d9f8c22', name: 'Clínica Sur' },
];

async function pick(testId: string, option: string) {
  const el = screen.getByTestId(testId);
  fireEvent.click(el);
  const listbox = await waitFor(() => {
    const box = document.getElementById(el.getAttribute('aria-controls') ?? '');
    if (!box) throw new Error(`${testId}: dropdown did not open`);
    return box;
  });
  fireEvent.click(within(listbox).getByRole('option', { name: option, hidden: true }));
}
const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });

describe('NewPersonModal', () => {
  it('validates as you type with the shared schema; a clinic only for vets, the signer flag only for staff', async () => {
    const { api } = await signedInApi(USERS.admin, () => json(CLINICS));
    renderWithProviders(<NewPersonModal opened onClose={() => undefined} />, { api });
    type('person-email', 'no-es-correo');
    expect(await screen.findByText('Correo electrónico no válido')).toBeInTheDocument();
    expect(screen.queryByText('Obligatorio')).not.toBeInTheDocument();
    await pick('person-role', 'Laboratorio');
    expect(screen.getByTestId('person-signer')).toBeInTheDocument();
    expect(screen.queryByTestId('person-clinic')).not.toBeInTheDocument();
    await pick('person-role', 'Veterinario/a');
    expect(screen.queryByTestId('person-signer')).not.toBeInTheDocument();
    expect(screen.getByTestId('person-clinic')).toBeInTheDocument();
    // Sent too early: every missing field says so (the clinic by the schema's own rule).
    fireEvent.click(screen.getByTestId('create-person'));
    expect(screen.getAllByText('Obligatorio').length).toBeGreaterThanOrEqual(2);
  });

  it('sends the person and shows the server’s field errors in words (an e-mail already taken)', async () => {
    let body: unknown = null;
    const { api } = await signedInApi(USERS.admin, (url, init) => {
      if (url.pathname === '/api/users' && init?.method === 'POST') {
        body = JSON.parse(String(init.body));
        return json({ statusCode: 400, error: 'Bad Request', message: 'body.email: taken', code: 'VALIDATION_FAILED', details: [{ field: 'body.email', message: 'taken', code: 'taken' }] }, 400);
      }
      return json(CLINICS);
    });
    renderWithProviders(<NewPersonModal opened onClose={() => undefined} />, { api });
    type('person-name', 'Dra. Nueva');
    type('person-email', 'Nueva@Norte.test');
    await pick('person-role', 'Veterinario/a');
    await pick('person-clinic', 'Clínica Sur');
    fireEvent.click(screen.getByTestId('create-person'));
    expect(await screen.findByText('Ya está en uso')).toBeInTheDocument();
    expect(body).toEqual({ email: 'nueva@norte.test', name: 'Dra. Nueva', role: 'vet', clinicId: CLINICS[1].id, signer: false });
  });
});
