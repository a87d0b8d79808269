import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../testing/render';
import { ConnectionBadge } from './connection-badge';

describe('ConnectionBadge', () => {
  it.each([
    ['connected', 'En vivo'],
    ['connecting', 'Conectando…'],
    ['reconnecting', 'Reconectando…'],
    ['disconnected', 'Sin conexión'],
  ] as const)('says %s in Spanish and exposes the status for tests', (status, label) => {
    renderWithProviders(<ConnectionBadge status={status} />);
    const badge = screen.getByTestId('live-badge');
    expect(badge).toHaveTextContent(label);
    expect(badge).toHaveAttribute('data-status', status);
  });
});
