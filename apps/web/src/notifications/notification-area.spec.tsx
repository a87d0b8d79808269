import { act, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../testing/render';
import { NotificationArea } from './notification-area';
import { notificationStore, pushNotification } from './notification-store';

afterEach(() => act(() => notificationStore.clear()));

describe('NotificationArea', () => {
  it('shows an empty state', async () => {
    renderWithProviders(<NotificationArea />);
    fireEvent.click(screen.getByRole('button', { name: 'Notificaciones' }));
    expect(await screen.findByText('No hay notificaciones')).toBeInTheDocument();
  });

  it('counts unread items and lists them with progress and actions', async () => {
    const onClick = vi.fn();
    renderWithProviders(<NotificationArea />, { at: '/here' });
    act(() => {
      pushNotification({ title: 'Informe en preparación', message: 'P-2026-000001', progress: 40 });
      pushNotification({ title: 'Informe listo', action: { label: 'Reintentar', onClick } });
    });
    const bell = screen.getByRole('button', { name: 'Notificaciones (2 sin leer)' });
    fireEvent.click(bell);
    // Mantine's opening transition never completes in jsdom (the dropdown stays display:none), hence `hidden`.
    const panel = await screen.findByTestId('notifications-panel');
    const items = within(panel).getAllByTestId('notification-item');
    expect(items.map((i) => i.textContent)).toEqual([expect.stringContaining('Informe listo'), expect.stringContaining('Informe en preparación')]);
    expect(within(items[1]).getByRole('progressbar', { hidden: true })).toHaveAttribute('aria-valuenow', '40');
    fireEvent.click(within(items[0]).getByRole('button', { name: 'Reintentar', hidden: true }));
    expect(onClick).toHaveBeenCalled();
    expect(screen.getByTestId('notifications-bell')).toHaveAttribute('data-unread', '1');
    fireEvent.click(within(panel).getByRole('button', { name: 'Marcar como leídas', hidden: true }));
    expect(screen.getByTestId('notifications-bell')).toHaveAttribute('data-unread', '0');
  });
});
