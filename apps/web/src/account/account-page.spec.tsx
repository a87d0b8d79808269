import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, renderWithProviders, signedInApi, USERS } from '../testing/render';
import { AccountPage } from './account-page';

const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });

describe('AccountPage', () => {
  it('changes one’s own password; a wrong current one is said under its field', async () => {
    const bodies: unknown[] = [];
    const { api } = await signedInApi(USERS.vet, (url, init) => {
      if (url.pathname === '/api/auth/me/password' && init?.method === 'PUT') {
        const body = JSON.parse(String(init.body)) as { currentPassword: string };
        bodies.push(body);
        if (body.currentPassword === 'mala') {
          return json({ statusCode: 400, error: 'Bad Request', message: 'x', code: 'VALIDATION_FAILED', details: [{ field: 'body.currentPassword', message: 'x', code: 'incorrect' }] }, 400);
        }
        return new Response(null, { status: 204 });
      }
      return json({});
    });
    renderWithProviders(<AccountPage />, { api, at: '/account' });
    type('current-password', 'mala');
    type('new-password', 'un gato en el tejado');
    type('repeat-password', 'un gato en el tejado');
    fireEvent.click(screen.getByTestId('change-password'));
    expect(await screen.findByText('No es correcta')).toBeInTheDocument();
    type('current-password', 'la buena de siempre');
    fireEvent.click(screen.getByTestId('change-password'));
    await waitFor(() => expect(bodies).toHaveLength(2));
    expect(bodies[1]).toEqual({ currentPassword: 'la buena de siempre', newPassword: 'un gato en el tejado' });
    await waitFor(() => expect(screen.getByTestId('current-password')).toHaveValue(''));
  });
});
