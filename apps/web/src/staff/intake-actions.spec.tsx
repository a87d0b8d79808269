import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeApi, protocolDetail as detail, renderWithApp, users } from '../intake/test-support';
import { IntakeActions } from './intake-actions';

describe('IntakeActions', () => {
  it('offers what the API allows and starts the analysis with the version, then refreshes the protocol', async () => {
    const api = fakeApi(
      {
        'POST /protocols/p1/start-analysis': () => detail({ status: 'in_analysis', version: 8, availableActions: [] }),
        'GET /protocols/p1': () => detail({ status: 'in_analysis', version: 8, availableActions: [] }),
      },
      users.staff,
    );
    renderWithApp(<IntakeActions protocol={detail()} />, { client: api.client });
    expect(screen.queryByRole('button', { name: 'Recibir' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Rechazar' })).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Iniciar análisis' }));
    await waitFor(() => expect(api.callsTo('POST', '/protocols/p1/start-analysis')).toHaveLength(1));
    expect(api.callsTo('POST', '/protocols/p1/start-analysis')[0].body).toEqual({ version: 7 });
    expect(await screen.findByText('Protocolo P-2026-00001 en análisis.')).toBeInTheDocument();
  });

  it('renders nothing when no action is available', () => {
    const api = fakeApi({}, users.vet);
    const { container } = renderWithApp(<IntakeActions protocol={detail({ availableActions: [] })} />, { client: api.client });
    expect(container.querySelectorAll('button')).toHaveLength(0);
  });
});
