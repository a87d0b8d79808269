import type { MailView } from '@vetlab/shared';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, renderWithProviders, signedInApi, USERS } from '../testing/render';
import { MailPanel } from './mail-panel';

/** The fields the ops console adds to MailView (the SMTP answer, the Message-ID), whether or not this build's type has them yet. */
const answer = { serverResponse: null, messageId: '<m1@vetlab.local>' };
const mail = (over: Partial<MailView>): MailView =>
  ({
    ...answer,
    id: 'm1',
    version: 1,
    recipient: 'vet@clinica.test',
    status: 'sent',
    attempts: 1,
    lastError: null,
    sentAt: '2026-03-01T12:00:00.000Z',
    nextAttemptAt: null,
    createdAt: '2026-03-01T11:59:00.000Z',
    ...over,
  }) as MailView;

const signer = { ...USERS.staff, signer: true };
const failed = mail({ id: 'm2', recipient: 'rebota@clinica.test', status: 'failed', attempts: 9, lastError: '451 try again later', sentAt: null });

describe('MailPanel', () => {
  it("shows each mail's status and error, with Reenviar only where it may be sent again", async () => {
    const { api } = await signedInApi(signer, () => json([mail({}), failed]));
    renderWithProviders(<MailPanel reportId="r1" />, { api });
    const rows = await screen.findAllByTestId('report-mail');
    expect(rows.map((r) => r.dataset.status)).toEqual(['sent', 'failed']);
    expect(within(rows[0]).getByText('Enviado')).toBeInTheDocument();
    expect(within(rows[0]).queryByRole('button', { name: 'Reenviar' })).not.toBeInTheDocument();
    expect(within(rows[1]).getByText('Fallido')).toBeInTheDocument();
    expect(within(rows[1]).getByText('451 try again later')).toBeInTheDocument();
    expect(within(rows[1]).getByRole('button', { name: 'Reenviar' })).toBeEnabled();
  });

  it('sends a failed mail again and shows the refusal when the API says no', async () => {
    let status: MailView['status'] = 'failed';
    const { api, calls } = await signedInApi(signer, (url, init) => {
      if (url.pathname === '/api/mails/m2/resend' && init?.method === 'POST') return json({ statusCode: 409, error: 'Conflict', message: 'mail m2 was sent meanwhile', code: 'MAIL_ALREADY_SENT' }, 409);
      return json([{ ...failed, status }]);
    });
    renderWithProviders(<MailPanel reportId="r1" />, { api });
    fireEvent.click(await screen.findByRole('button', { name: 'Reenviar' }));
    expect(await screen.findByTestId('mail-resend-error')).toHaveTextContent('Este correo ya se envió: no se manda dos veces.');
    expect(calls.filter((u) => u.pathname === '/api/mails/m2/resend')).toHaveLength(1);
    status = 'sent';
    await waitFor(() => expect(calls.filter((u) => u.pathname === '/api/reports/r1/mails').length).toBeGreaterThan(1));
  });

  it('is read-only for staff who are not signers; admins may resend', async () => {
    const staff = await signedInApi(USERS.staff, () => json([failed]));
    const first = renderWithProviders(<MailPanel reportId="r1" />, { api: staff.api });
    const row = await screen.findByTestId('report-mail');
    expect(within(row).getByText('451 try again later')).toBeInTheDocument();
    expect(within(row).queryByRole('button', { name: 'Reenviar' })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Ver en el registro de correo' })).not.toBeInTheDocument();
    first.unmount();
    const admin = await signedInApi(USERS.admin, () => json([failed]));
    renderWithProviders(<MailPanel reportId="r1" />, { api: admin.api });
    expect(await screen.findByRole('button', { name: 'Reenviar' })).toBeEnabled();
    expect(screen.getByRole('link', { name: 'Ver en el registro de correo' })).toHaveAttribute('href', '/ops?tab=mails&reportId=r1');
  });

  it('says when a waiting mail is tried again, and that one being sent is tried again only if it never finishes', async () => {
    const at = '2026-03-01T12:05:00.000Z';
    const waiting = mail({ id: 'm3', status: 'pending', sentAt: null, nextAttemptAt: at, lastError: '421 busy' });
    const sending = mail({ id: 'm4', status: 'sending', sentAt: null, nextAttemptAt: at });
    const { api } = await signedInApi(USERS.staff, () => json([waiting, sending]));
    renderWithProviders(<MailPanel reportId="r1" />, { api });
    const rows = await screen.findAllByTestId('report-mail');
    expect(rows[0]).toHaveTextContent(/Próximo intento: 01\/03\/2026, \d\d:05/);
    expect(rows[1]).toHaveTextContent(/Si no termina, nuevo intento: 01\/03\/2026, \d\d:05/);
    expect(rows[1]).not.toHaveTextContent('Próximo intento');
  });

  it("shows the SMTP server's answer and the Message-ID when the API sends them", async () => {
    const sent = { ...mail({}), serverResponse: '250 2.0.0 Ok: queued as ABC', messageId: '<r1.v1@vetlab.local>' };
    const { api } = await signedInApi(USERS.staff, () => json([sent]));
    renderWithProviders(<MailPanel reportId="r1" />, { api });
    expect(await screen.findByTestId('mail-answer')).toHaveTextContent('250 2.0.0 Ok: queued as ABC');
    expect(screen.getByText('Message-ID: <r1.v1@vetlab.local>')).toBeInTheDocument();
  });

  it('says when the report has no mail yet, and when the list cannot be loaded', async () => {
    const empty = await signedInApi(USERS.staff, () => json([]));
    const first = renderWithProviders(<MailPanel reportId="r1" />, { api: empty.api });
    expect(await screen.findByText('Todavía no se ha enviado ningún correo de este informe.')).toBeInTheDocument();
    first.unmount();
    const broken = await signedInApi(USERS.staff, () => json({ statusCode: 503, error: 'Service Unavailable', message: 'the database is busy' }, 503));
    renderWithProviders(<MailPanel reportId="r1" />, { api: broken.api });
    expect(await screen.findByText('No se pudieron cargar los correos', {}, { timeout: 5000 })).toBeInTheDocument();
  });
});
