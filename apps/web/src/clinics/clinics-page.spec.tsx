import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ClinicView } from '@vetlab/shared';
import { describe, expect, it } from 'vitest';
import { json, renderWithProviders, signedInApi, USERS } from '../testing/render';
import { ClinicPage } from './clinic-page';
import { ClinicsPage } from './clinics-page';

const NORTE: ClinicView = { id: 'c1', name: 'Clínica Norte', address: 'Calle Mayor 1', phone: '+34 911', resultEmails: ['a@norte.test'], reportLanguage: 'es' };
const SUR: ClinicView = { id: 'c2', name: 'Clínica Sur', address: null, phone: null, resultEmails: ['b@sur.test', 'c@sur.test'], reportLanguage: 'en' };

const bodyOf = (init?: RequestInit) => JSON.parse(String(init?.body ?? '{}'));
const notFound = (path: string) => json({ statusCode: 404, error: 'Not Found', message: path, code: 'NOT_FOUND' }, 404);

describe('ClinicsPage', () => {
  it('lists the clinics with language and addresses; "Nueva clínica" checks as you type, sends, and the list is fetched again', async () => {
    let clinics = [NORTE, SUR];
    const sent: unknown[] = [];
    const { api, calls } = await signedInApi(USERS.admin, (url, init) => {
      if (url.pathname === '/api/clinics' && init?.method === 'POST') {
        const body = bodyOf(init);
        sent.push(body);
        if (body.name === 'Clínica Norte') return json({ statusCode: 400, error: 'Bad Request', message: 'x', code: 'VALIDATION_FAILED', details: [{ field: 'body.name', message: 'taken', code: 'taken' }] }, 400);
        const created = { id: 'c3', address: null, phone: null, ...body };
        clinics = [...clinics, created];
        return json(created, 201);
      }
      if (url.pathname === '/api/clinics') return json(clinics);
      return notFound(url.pathname);
    });
    renderWithProviders(<ClinicsPage />, { api, at: '/admin/clinics' });
    const rows = await screen.findAllByTestId('clinic-row');
    expect(rows.map((r) => r.textContent)).toEqual([expect.stringContaining('Español'), expect.stringContaining('Inglés')]);
    expect(rows[1]).toHaveTextContent('b@sur.test, c@sur.test');
    expect(rows[0]).toHaveTextContent('Calle Mayor 1');

    fireEvent.click(screen.getByTestId('clinic-new'));
    const form = await screen.findByTestId('clinic-form');
    fireEvent.change(within(form).getByTestId('clinic-email-0'), { target: { value: 'no-es-correo' } });
    expect(await within(form).findByText('No es un correo válido')).toBeInTheDocument();
    fireEvent.click(within(form).getByTestId('clinic-submit'));
    expect(await within(form).findByText('Obligatorio')).toBeInTheDocument();
    expect(sent).toHaveLength(0);

    fireEvent.change(within(form).getByTestId('clinic-email-0'), { target: { value: 'lab@este.test' } });
    fireEvent.click(within(form).getByTestId('clinic-email-add'));
    fireEvent.change(within(form).getByTestId('clinic-email-1'), { target: { value: 'lab@este.test' } });
    expect(await within(form).findByText('Este correo está repetido')).toBeInTheDocument();
    fireEvent.click(within(form).getByTestId('clinic-email-remove-1'));

    // The server's refusal lands on its field, in Spanish.
    fireEvent.change(within(form).getByTestId('clinic-name'), { target: { value: 'Clínica Norte' } });
    fireEvent.click(within(form).getByTestId('clinic-submit'));
    expect(await within(form).findByText('Ya está en uso')).toBeInTheDocument();

    fireEvent.change(within(form).getByTestId('clinic-name'), { target: { value: 'Clínica Este' } });
    fireEvent.change(within(form).getByTestId('clinic-address'), { target: { value: 'Av. Sol 3' } });
    fireEvent.click(within(form).getByTestId('clinic-submit'));
    await waitFor(() => expect(screen.getAllByTestId('clinic-row')).toHaveLength(3));
    expect(sent.at(-1)).toEqual({ name: 'Clínica Este', address: 'Av. Sol 3', phone: null, resultEmails: ['lab@este.test'], reportLanguage: 'es' });
    expect(calls.filter((u) => u.pathname === '/api/clinics').length).toBeGreaterThanOrEqual(4);
  });
});

describe('ClinicPage', () => {
  it('an admin edits a clinic and the history tab is there', async () => {
    const patches: unknown[] = [];
    const { api } = await signedInApi(USERS.admin, (url, init) => {
      if (url.pathname === '/api/clinics/c1' && init?.method === 'PATCH') {
        patches.push(bodyOf(init));
        return json({ ...NORTE, ...bodyOf(init) });
      }
      if (url.pathname === '/api/clinics/c1') return json(NORTE);
      return notFound(url.pathname);
    });
    renderWithProviders(<ClinicPage />, { api, at: '/clinics/c1', path: '/clinics/:id' });
    const form = await screen.findByTestId('clinic-form');
    expect(screen.getByTestId('clinic-history-tab')).toBeInTheDocument();
    fireEvent.change(within(form).getByTestId('clinic-phone'), { target: { value: 'llámenos' } });
    fireEvent.blur(within(form).getByTestId('clinic-phone'));
    expect(await within(form).findByText('Solo dígitos, espacios y + ( ) -')).toBeInTheDocument();
    fireEvent.change(within(form).getByTestId('clinic-phone'), { target: { value: '+34 600 000 000' } });
    fireEvent.click(within(form).getByTestId('clinic-email-add'));
    fireEvent.change(within(form).getByTestId('clinic-email-1'), { target: { value: 'otro@norte.test' } });
    fireEvent.click(within(form).getByTestId('clinic-submit'));
    await waitFor(() => expect(patches).toHaveLength(1));
    expect(patches[0]).toMatchObject({ phone: '+34 600 000 000', resultEmails: ['a@norte.test', 'otro@norte.test'] });
  });

  it('a vet reads their clinic without a form or history; another clinic is not found', async () => {
    const { api } = await signedInApi(USERS.vet, (url) => (url.pathname === '/api/clinics/c1' ? json(NORTE) : notFound(url.pathname)));
    const view = renderWithProviders(<ClinicPage />, { api, at: '/clinics/c1', path: '/clinics/:id' });
    const details = await screen.findByTestId('clinic-details');
    expect(details).toHaveTextContent('Calle Mayor 1');
    expect(details).toHaveTextContent('a@norte.test');
    expect(details).toHaveTextContent('Español');
    expect(screen.queryByTestId('clinic-form')).toBeNull();
    expect(screen.queryByTestId('clinic-history-tab')).toBeNull();
    view.unmount();
    renderWithProviders(<ClinicPage />, { api, at: '/clinics/c2', path: '/clinics/:id' });
    await waitFor(() => expect(screen.queryByTestId('clinic-details')).toBeNull());
    expect(await screen.findByText('Página no encontrada')).toBeInTheDocument();
  });
});
