import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { UserView } from '@vetlab/shared';
import { describe, expect, it } from 'vitest';
import { json, renderWithProviders, signedInApi, USERS } from '../testing/render';
import { PersonPage } from './person-page';

const TECH: UserView = {
  id: 'u-tech',
  email: 'carla@lab.test',
  name: 'Carla Técnica',
  role: 'staff',
  signer: false,
  clinic: null,
  active: true,
  createdAt: '2026-12-01T10:00:00.000Z',
  hasSignature: false,
};

describe('PersonPage', () => {
  it('edits, deactivates after a confirm, and sends a password link showing its expiry', async () => {
    const sent: { method: string; path: string; body: unknown }[] = [];
    let current = TECH;
    const { api } = await signedInApi(USERS.admin, (url, init) => {
      const method = init?.method ?? 'GET';
      if (method !== 'GET') sent.push({ method, path: url.pathname, body: init?.body ? JSON.parse(String(init.body)) : null });
      if (url.pathname === '/api/users/u-tech/password-link') return json({ expiresAt: '2026-12-06T10:00:00.000Z' }, 202);
      if (url.pathname === '/api/users/u-tech' && method === 'PATCH') current = { ...current, ...(JSON.parse(String(init!.body)) as Partial<UserView>) };
      return json(current);
    });
    renderWithProviders(<PersonPage />, { api, at: '/admin/people/u-tech', path: '/admin/people/:id' });
    expect(await screen.findByTestId('person-title')).toHaveTextContent('Carla Técnica');
    fireEvent.click(screen.getByTestId('edit-signer'));
    fireEvent.click(screen.getByTestId('save-person'));
    await waitFor(() => expect(sent).toContainEqual({ method: 'PATCH', path: '/api/users/u-tech', body: { signer: true } }));

    fireEvent.click(screen.getByTestId('send-link'));
    expect(await screen.findByTestId('link-sent')).toHaveTextContent(/Enlace enviado; caduca el 06\/12\/2026/);

    fireEvent.click(screen.getByTestId('deactivate'));
    expect(sent.filter((s) => s.body && (s.body as { active?: boolean }).active === false)).toHaveLength(0);
    fireEvent.click(await screen.findByTestId('deactivate-confirm'));
    await waitFor(() => expect(screen.getByTestId('person-status')).toHaveTextContent('Desactivada'));
    expect(sent).toContainEqual({ method: 'PATCH', path: '/api/users/u-tech', body: { active: false } });
    expect(screen.getByTestId('reactivate')).toBeInTheDocument();
  });

  it('on one’s own page offers no (de)activation, and an unknown person says so', async () => {
    const { api } = await signedInApi(USERS.admin, (url) =>
      url.pathname === '/api/users/u-admin' ? json({ ...TECH, ...USERS.admin, active: true, createdAt: TECH.createdAt, hasSignature: false }) : json({ statusCode: 404, error: 'Not Found', message: 'user not found', code: 'NOT_FOUND' }, 404),
    );
    const { unmount } = renderWithProviders(<PersonPage />, { api, at: '/admin/people/u-admin', path: '/admin/people/:id' });
    expect(await screen.findByText('Es tu propia cuenta: no puedes cambiar su estado ni su firma.')).toBeInTheDocument();
    expect(screen.queryByTestId('deactivate')).not.toBeInTheDocument();
    unmount();
    renderWithProviders(<PersonPage />, { api, at: '/admin/people/nobody', path: '/admin/people/:id' });
    expect(await screen.findByText('Esta persona no existe.')).toBeInTheDocument();
  });
});
