import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, renderWithProviders, signedInApi, USERS } from '../testing/render';
import { HistoryTab } from './history-tab';
import { entry, REPORT_ID } from './test-support';

describe('HistoryTab', () => {
  it('lists one record’s entries, newest first as the API gives them, with readable changes, and pages', async () => {
    const items = [entry(), entry({ id: 'e0', action: 'status_change', label: 'P-2026-000123 v1', before: { versionNumber: 1, status: 'finalizing' }, after: { versionNumber: 1, status: 'finalized' } })];
    const { api, calls } = await signedInApi(USERS.staff, () => json({ items, total: 12, page: 1, pageSize: 10 }));
    renderWithProviders(<HistoryTab entity="report" entityId={REPORT_ID} />, { api });
    const rows = await screen.findAllByTestId('audit-entry');
    expect(Object.fromEntries(calls.find((u) => u.pathname === '/api/audit')?.searchParams ?? [])).toEqual({ entity: 'report', entityId: REPORT_ID, page: '1', pageSize: '10' });
    expect(rows.map((r) => r.getAttribute('data-action'))).toEqual(['amend', 'status_change']);
    expect(within(rows[0]).getByTestId('audit-changes')).toHaveTextContent('Motivo: GLU mal transcrita');
    expect(within(rows[1]).getByTestId('audit-changes')).toHaveTextContent('Estado: Finalizando → Finalizado');
    expect(within(rows[1]).getByText('P-2026-000123 v1')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: '2' }));
    await waitFor(() => expect(calls.some((u) => u.pathname === '/api/audit' && u.searchParams.get('page') === '2')).toBe(true));
  });

  it('says when a record has no history yet', async () => {
    const { api } = await signedInApi(USERS.admin, () => json({ items: [], total: 0, page: 1, pageSize: 10 }));
    renderWithProviders(<HistoryTab entity="bulk_run" entityId="b1" />, { api });
    expect(await screen.findByTestId('history-empty')).toHaveTextContent('Todavía no hay cambios');
  });

  it('renders nothing for vets, nor for staff on a person, and asks for nothing', async () => {
    for (const [who, entity] of [
      ['vet', 'report'],
      ['staff', 'user'],
    ] as const) {
      const { api, calls } = await signedInApi(USERS[who], () => json({ items: [], total: 0, page: 1, pageSize: 10 }));
      const { container, unmount } = renderWithProviders(<HistoryTab entity={entity} entityId={REPORT_ID} />, { api });
      await new Promise((r) => setTimeout(r, 50));
      expect(container.querySelector('[data-testid="history"]')).toBeNull();
      expect(calls.some((u) => u.pathname === '/api/audit')).toBe(false);
      unmount();
    }
  });
});
