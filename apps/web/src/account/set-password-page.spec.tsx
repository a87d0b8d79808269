import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../api/api-client';
import { fakeFetch, json, renderWithProviders } from '../testing/render';
import { SetPasswordPage } from './set-password-page';

const TOKEN = 'a'.repeat(43);
const INFO = { email: 'ana@norte.test', name: 'Dra. Ana Norte', expiresAt: '2026-12-06T10:00:00.000Z' };
const GONE = { statusCode: 410, error: 'Gone', message: 'used', code: 'PASSWORD_LINK_INVALID' };
const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });

describe('SetPasswordPage', () => {
  it('names the person, states the policy, checks it as you type, and sends the password with the token', async () => {
    let body: unknown = null;
    const fake = fakeFetch((url, init) => {
      if (url.pathname === '/api/auth/password' && init?.method === 'POST') {
        body = JSON.parse(String(init.body));
        return new Response(null, { status: 204 });
      }
      return json(INFO);
    });
    const { router } = renderWithProviders(<SetPasswordPage />, { api: new ApiClient(fake.fn), at: `/password/${TOKEN}`, path: '/password/:token' });
    expect(await screen.findByTestId('password-for')).toHaveTextContent('Para Dra. Ana Norte (ana@norte.test)');
    expect(fake.calls[0].searchParams.get('token')).toBe(TOKEN);
    expect(screen.getByTestId('password-policy')).toHaveTextContent('Al menos 10 caracteres');
    type('new-password', 'corta');
    expect(screen.getByText('Al menos 10 caracteres')).toBeInTheDocument();
    type('new-password', 'password123');
    expect(screen.getByText('Es una contraseña demasiado común; elige otra')).toBeInTheDocument();
    expect(screen.getByTestId('save-password')).toBeDisabled();
    type('new-password', 'un gato en el tejado');
    type('repeat-password', 'un gato en el tejad');
    expect(screen.getByText('Las dos contraseñas no coinciden')).toBeInTheDocument();
    type('repeat-password', 'un gato en el tejado');
    fireEvent.click(screen.getByTestId('save-password'));
    await waitFor(() => expect(router.state.location.pathname + router.state.location.search).toBe('/login?notice=password-set'));
    expect(body).toEqual({ token: TOKEN, password: 'un gato en el tejado' });
  });

  it('says clearly that a used or expired link no longer works, and what to do', async () => {
    const fake = fakeFetch(() => json(GONE, 410));
    renderWithProviders(<SetPasswordPage />, { api: new ApiClient(fake.fn), at: `/password/${TOKEN}`, path: '/password/:token' });
    expect(await screen.findByTestId('password-link-invalid')).toHaveTextContent('Este enlace ya no sirve');
    expect(screen.getByText(/Pide al laboratorio un enlace nuevo/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Ir a iniciar sesión' })).toHaveAttribute('href', '/login');
  });

  it('a link spent meanwhile (410 on saving) turns into the same message', async () => {
    const fake = fakeFetch((url, init) => (url.pathname === '/api/auth/password' && init?.method === 'POST' ? json(GONE, 410) : json(INFO)));
    renderWithProviders(<SetPasswordPage />, { api: new ApiClient(fake.fn), at: `/password/${TOKEN}`, path: '/password/:token' });
    await screen.findByTestId('password-for');
    type('new-password', 'un gato en el tejado');
    type('repeat-password', 'un gato en el tejado');
    fireEvent.click(screen.getByTestId('save-password'));
    expect(await screen.findByTestId('password-link-invalid')).toBeInTheDocument();
  });
});
