import type { VerificationView } from '@vetlab/shared';
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../api/api-client';
import { fakeFetch, json, renderWithProviders } from '../testing/render';
import { VerificationPage } from './verification-page';

const VIEW: VerificationView = {
  code: 'ABCD-EFGH-JKMN-PQRS',
  state: 'valid',
  protocolCode: 'P-2026-000123',
  clinicName: 'Clínica Norte',
  signerName: 'Dr. Diego Firmante',
  finalizedAt: '2026-11-28T10:00:00.000Z',
  version: 1,
  supersededBy: null,
  annulledAt: null,
};

/** The page at /verificar/<code>, its lookup answered by `answer`, without a session. */
function open(answer: () => Response, code = 'abcd-efgh-jkmn-pqrs') {
  const fake = fakeFetch(() => answer());
  renderWithProviders(<VerificationPage />, { api: new ApiClient(fake.fn), at: `/verificar/${code}`, path: '/verificar/:code' });
  return fake.calls;
}

const state = async () => (await screen.findByTestId('verification-state')).getAttribute('data-state');

describe('VerificationPage', () => {
  it('a current version: genuine and current, with protocol, clinic, signer and version', async () => {
    const calls = open(() => json(VIEW));
    expect(await state()).toBe('valid');
    expect(screen.getByText('Informe auténtico y vigente')).toBeInTheDocument();
    for (const text of ['ABCD-EFGH-JKMN-PQRS', 'P-2026-000123', 'Clínica Norte', 'Dr. Diego Firmante']) expect(screen.getByText(text)).toBeInTheDocument();
    expect(calls.map((u) => u.pathname)).toEqual(['/api/verify/abcd-efgh-jkmn-pqrs']);
  });

  it('a superseded version names the version that replaces it', async () => {
    open(() => json({ ...VIEW, state: 'superseded', supersededBy: 3 }));
    expect(await state()).toBe('superseded');
    expect(screen.getByText('Informe reemplazado por la versión 3')).toBeInTheDocument();
  });

  it('an annulled version says so, with the date', async () => {
    open(() => json({ ...VIEW, state: 'annulled', annulledAt: '2026-11-30T12:00:00.000Z' }));
    expect(await state()).toBe('annulled');
    expect(screen.getByText('Informe anulado')).toBeInTheDocument();
    expect(screen.getByText(/anuló este informe el 30\/11\/2026/)).toBeInTheDocument();
  });

  it('an unknown code: not found', async () => {
    open(() => json({ statusCode: 404, error: 'Not Found', message: 'verification code not found' }, 404));
    expect(await state()).toBe('not_found');
    expect(screen.getByText('Código no encontrado')).toBeInTheDocument();
  });

  it('too many lookups: asks to wait, and offers to try again', async () => {
    open(() => json({ statusCode: 429, error: 'Too Many Requests', message: 'too many', code: 'RATE_LIMITED' }, 429, { 'Retry-After': '30' }));
    expect(await state()).toBe('rate_limited');
    expect(screen.getByText('Demasiadas consultas')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Reintentar' })).toBeInTheDocument();
  });
});
