import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { OpsMailRow } from '@vetlab/shared';
import { describe, expect, it } from 'vitest';
import { json, renderWithProviders, signedInApi, USERS } from '../testing/render';
import { MailsTab } from './mails-tab';
import { mailRow } from './test-support';

const CLINICS = [
  { id: 'c1', name: 'Clínica Norte' },
  { id: 'c2', name: 'Clínica Sur' },
];
const page = (items: OpsMailRow[]) => json({ items, total: items.length, page: 1, pageSize: 25 });

describe('MailsTab', () => {
  it('filters by the report in the URL and shows who, about what, how it went, and the Message-ID', async () => {
    const sent = mailRow({ id: 'm2', status: 'sent', attempts: 1, lastError: null, serverResponse: '250 2.0.0 Ok: queued as 4F2A', sentAt: '2026-12-02T15:01:00.000Z', resendable: false });
    const { api, calls } = await signedInApi(USERS.admin, (url) => (url.pathname === '/api/clinics' ? json(CLINICS) : page([mailRow(), sent])));
    renderWithProviders(<MailsTab countsKey="a" />, { api, at: '/ops?tab=mails&reportId=r1' });
    const rows = await screen.findAllByTestId('ops-mail');
    expect(Object.fromEntries(calls.find((u) => u.pathname === '/api/ops/mails')?.searchParams ?? [])).toEqual({ reportId: 'r1', page: '1', pageSize: '25' });
    expect(rows.map((r) => r.dataset.status)).toEqual(['failed', 'sent']);
    expect(screen.getByTestId('mails-report-filter')).toHaveTextContent('Solo los correos de un informe');
    expect(within(rows[0]).getByTestId('mail-recipient')).toHaveTextContent('vet@clinica.test');
    expect(within(rows[0]).getByTestId('mail-clinic')).toHaveTextContent('Clínica Norte');
    expect(within(rows[0]).getByTestId('mail-attempts')).toHaveTextContent('Intentos: 4');
    expect(within(rows[0]).getByTestId('mail-error')).toHaveTextContent('451 service unavailable');
    expect(within(rows[0]).getByRole('link', { name: 'Informe de P-2026-000123 v2' })).toHaveAttribute('href', '/protocols/p1?tab=report');
    expect(within(rows[1]).getByTestId('mail-answer')).toHaveTextContent('250 2.0.0 Ok: queued as 4F2A');
    expect(within(rows[1]).getByText('Message-ID: <r1.v2@vetlab.local>')).toBeInTheDocument();
    expect(within(rows[1]).queryByRole('button', { name: 'Enviar de nuevo' })).not.toBeInTheDocument();
    expect(screen.getByTestId('mails-total')).toHaveTextContent('2 correos');
  });

  it('sends one mail again, and says so in its own words when it was sent meanwhile', async () => {
    let already = false;
    const { api, calls } = await signedInApi(USERS.admin, (url, init) => {
      if (url.pathname === '/api/mails/m1/resend' && init?.method === 'POST')
        return already ? json({ statusCode: 409, error: 'Conflict', message: 'mail m1 was sent', code: 'MAIL_ALREADY_SENT' }, 409) : json({ id: 'm1', status: 'pending' });
      return url.pathname === '/api/clinics' ? json(CLINICS) : page([mailRow()]);
    });
    renderWithProviders(<MailsTab countsKey="a" />, { api, at: '/ops?tab=mails' });
    fireEvent.click(await screen.findByRole('button', { name: 'Enviar de nuevo' }));
    expect(await screen.findByText('Correo a vet@clinica.test en cola de nuevo.')).toBeInTheDocument();
    already = true;
    fireEvent.click(await screen.findByRole('button', { name: 'Enviar de nuevo' }));
    expect(await screen.findByText('Este correo ya se envió: no se manda dos veces.')).toBeInTheDocument();
    expect(calls.filter((u) => u.pathname === '/api/mails/m1/resend')).toHaveLength(2);
  });

  it('without a filter, an empty log says no mail has been sent yet', async () => {
    const { api } = await signedInApi(USERS.admin, (url) => (url.pathname === '/api/clinics' ? json(CLINICS) : page([])));
    renderWithProviders(<MailsTab countsKey="a" />, { api, at: '/ops?tab=mails' });
    expect(await screen.findByTestId('mails-empty')).toHaveTextContent('Todavía no se ha enviado ningún correo.');
  });

  it('with a clinic chosen, resends all its failed mails after asking (singular when one)', async () => {
    let body: unknown = null;
    const { api } = await signedInApi(USERS.admin, (url, init) => {
      if (url.pathname === '/api/ops/mails/resend-failed' && init?.method === 'POST') {
        body = JSON.parse(String(init.body));
        return json({ count: 1 });
      }
      return url.pathname === '/api/clinics' ? json(CLINICS) : page([]);
    });
    renderWithProviders(<MailsTab countsKey="a" />, { api, at: '/ops?tab=mails&clinicId=c2' });
    expect(await screen.findByTestId('mails-empty')).toHaveTextContent('Ningún correo coincide con los filtros.');
    fireEvent.click(await screen.findByRole('button', { name: 'Reenviar fallidos de la clínica' }));
    fireEvent.click(await screen.findByTestId('mails-resend-failed-confirm'));
    await waitFor(() => expect(body).toEqual({ clinicId: 'c2' }));
    expect(await screen.findByText('Se volvió a encolar 1 correo.')).toBeInTheDocument();
  });
});
