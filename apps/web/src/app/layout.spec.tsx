import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { json, phoneScreen, signedInApi, testQueryClient, USERS } from '../testing/render';
import { Layout } from './layout';
import { PHONE_QUERY } from './phone';
import { AppProviders } from './providers';

async function renderLayout() {
  const { api } = await signedInApi(USERS.vet, () => json({}));
  const router = createMemoryRouter(
    [
      {
        element: <Layout />,
        children: [
          { path: '/protocols', element: <div data-testid="page">list</div> },
          { path: '/protocols/new', element: <div data-testid="page">new</div> },
        ],
      },
    ],
    { initialEntries: ['/protocols'] },
  );
  render(
    <AppProviders client={api} queryClient={testQueryClient()}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return router;
}

describe('Layout', () => {
  afterEach(() => phoneScreen(null));

  describe('on a phone', () => {
    beforeEach(() => phoneScreen(PHONE_QUERY));

    it('keeps the navigation behind the menu button, and closes it after navigating', { timeout: 15_000 }, async () => {
      const router = await renderLayout();
      const navbar = screen.getByTestId('app-navbar');
      const button = screen.getByRole('button', { name: 'Abrir el menú' });
      expect(navbar).toHaveAttribute('data-open', 'false');
      expect(button).toHaveAttribute('aria-expanded', 'false');
      // The user and sign-out live in the menu, not in the crowded header.
      expect(screen.getAllByTestId('user-name')).toHaveLength(1);
      expect(navbar).toContainElement(screen.getByTestId('user-name'));

      fireEvent.click(button);
      expect(navbar).toHaveAttribute('data-open', 'true');
      expect(screen.getByRole('button', { name: 'Cerrar el menú' })).toHaveAttribute('aria-expanded', 'true');

      fireEvent.click(screen.getByRole('link', { name: 'Nuevo protocolo', hidden: true }));
      await waitFor(() => expect(router.state.location.pathname).toBe('/protocols/new'));
      expect(navbar).toHaveAttribute('data-open', 'false');

      // Any navigation, not only a menu entry (a link in the page, back), closes it too.
      fireEvent.click(screen.getByRole('button', { name: 'Abrir el menú' }));
      expect(navbar).toHaveAttribute('data-open', 'true');
      await act(() => router.navigate(-1));
      expect(router.state.location.pathname).toBe('/protocols');
      await waitFor(() => expect(navbar).toHaveAttribute('data-open', 'false'));
    });
  });

  describe('on a wide screen (no media query matches)', () => {
    it('shows the navigation and the user in the header', async () => {
      await renderLayout();
      expect(screen.getByTestId('app-navbar')).toHaveAttribute('data-open', 'true');
      expect(screen.getByTestId('app-navbar')).not.toContainElement(screen.getByTestId('user-name'));
      expect(screen.getByTestId('user-name')).toHaveTextContent('Dra. Vet');
    });
  });
});
