import { act, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, renderWithProviders, signedInApi, USERS } from '../testing/render';
import { PauseBanner } from './pause-banner';
import { fakeSocket, pause, WithSocket } from './test-support';

describe('PauseBanner', () => {
  it('is absent while nothing is paused, and follows ops:pauses events without asking again', async () => {
    const live = fakeSocket();
    const { api, calls } = await signedInApi(USERS.admin, () => json([]));
    renderWithProviders(
      <WithSocket socket={live.socket}>
        <PauseBanner />
        <div data-testid="page" />
      </WithSocket>,
      { api },
    );
    await screen.findByTestId('page');
    await act(() => new Promise((r) => setTimeout(r, 50)));
    expect(screen.queryByTestId('pause-banner')).not.toBeInTheDocument();
    const asked = calls.filter((u) => u.pathname === '/api/ops/pauses').length;
    act(() => live.serverEmit('ops:pauses', { pauses: [pause('work-order-pdfs')] }));
    const banner = await screen.findByTestId('pause-banner');
    expect(banner).toHaveTextContent('Hay una cola en pausa');
    expect(banner).toHaveTextContent('PDF de órdenes: «printer maintenance», por Ada Admin, hasta las');
    expect(screen.getByRole('link', { name: 'Ir a Operaciones' })).toHaveAttribute('href', '/ops');
    act(() => live.serverEmit('ops:pauses', { pauses: [pause('work-order-pdfs'), pause('mail', { reason: 'SMTP relay maintenance', pausedBy: null })] }));
    expect(await screen.findByText('Hay 2 colas en pausa')).toBeInTheDocument();
    expect(screen.getByText(/Correo: «SMTP relay maintenance», por el sistema/)).toBeInTheDocument();
    act(() => live.serverEmit('ops:pauses', { pauses: [] }));
    await waitFor(() => expect(screen.queryByTestId('pause-banner')).not.toBeInTheDocument());
    expect(calls.filter((u) => u.pathname === '/api/ops/pauses').length).toBe(asked);
  });

  it('shows the pauses the API lists when the page opens', async () => {
    const { api } = await signedInApi(USERS.admin, () => json([pause('bulk')]));
    renderWithProviders(
      <WithSocket socket={fakeSocket().socket}>
        <PauseBanner />
      </WithSocket>,
      { api },
    );
    expect(await screen.findByTestId('pause-banner-line')).toHaveTextContent('Lotes: «printer maintenance»');
  });
});
