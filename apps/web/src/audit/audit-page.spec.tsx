import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { AuditEntryView } from '@vetlab/shared';
import { describe, expect, it } from 'vitest';
import { json, renderWithProviders, signedInApi, USERS } from '../testing/render';
import { AuditPage, toAuditQuery } from './audit-page';
import { entry, PROTOCOL_ID } from './test-support';

const page = (items: AuditEntryView[], total = items.length) => json({ items, total, page: 1, pageSize: 25 });
const people = (url: URL) => (url.pathname === '/api/users' ? json({ items: [{ ...USERS.staff, active: true, createdAt: '' }], total: 1, page: 1, pageSize: 200 }) : null);

describe('AuditPage', () => {
  it('asks for the URL’s filters, shows who, the action, the record with a link and the changes, and pages', async () => {
    const { api, calls } = await signedInApi(USERS.admin, (url) => people(url) ?? page([entry()], 60));
    renderWithProviders(<AuditPage />, { api, at: '/audit?action=amend&entity=report' });
    const row = await screen.findByTestId('audit-entry');
    const asked = calls.find((u) => u.pathname === '/api/audit');
    expect(Object.fromEntries(asked?.searchParams ?? [])).toEqual({ action: 'amend', entity: 'report', page: '1', pageSize: '25' });
    expect(within(row).getByText('Dr. Diego Firmante')).toBeInTheDocument();
    expect(within(row).getByText('Corrección')).toBeInTheDocument();
    expect(within(row).getByText('Informe')).toBeInTheDocument();
    expect(within(row).getByRole('link', { name: 'P-2026-000123 v2' })).toHaveAttribute('href', `/protocols/${PROTOCOL_ID}?tab=report`);
    expect(within(row).getByTestId('audit-changes')).toHaveTextContent('Motivo: GLU mal transcrita');
    expect(screen.getByTestId('audit-total')).toHaveTextContent('60 registros');
    fireEvent.click(screen.getByRole('button', { name: '2' }));
    await waitFor(() => expect(calls.some((u) => u.pathname === '/api/audit' && u.searchParams.get('page') === '2')).toBe(true));
  });

  it('admins pick a person; staff have no person picker and the system’s entries say so', async () => {
    const admin = await signedInApi(USERS.admin, (url) => people(url) ?? page([]));
    const { unmount } = renderWithProviders(<AuditPage />, { api: admin.api, at: '/audit' });
    expect(await screen.findByTestId('audit-filter-who')).toBeInTheDocument();
    expect(await screen.findByTestId('audit-empty')).toHaveTextContent('Ningún registro coincide');
    unmount();
    const staff = await signedInApi(USERS.staff, () => page([entry({ actor: null, jobId: 'j1', action: 'status_change', before: { status: 'received' }, after: { status: 'in_analysis' }, entity: 'protocol', label: 'P-2026-000123' })]));
    renderWithProviders(<AuditPage />, { api: staff.api, at: '/audit?actorId=00000000-0000-4000-8000-000000000009' });
    const row = await screen.findByTestId('audit-entry');
    expect(screen.queryByTestId('audit-filter-who')).toBeNull();
    expect(staff.calls.find((u) => u.pathname === '/api/audit')?.searchParams.has('actorId')).toBe(false);
    expect(staff.calls.some((u) => u.pathname === '/api/users')).toBe(false);
    expect(within(row).getByText('Sistema')).toBeInTheDocument();
    expect(within(row).getByText('Estado:', { exact: false }).closest('[data-testid="audit-change"]')).toHaveTextContent('Estado: Recibido → En análisis');
  });

  it('shows a loader while the first page comes', async () => {
    const { api } = await signedInApi(USERS.admin, () => new Promise<Response>(() => undefined));
    renderWithProviders(<AuditPage />, { api, at: '/audit' });
    expect(await screen.findByLabelText('Cargando…')).toBeInTheDocument();
  });
});

describe('toAuditQuery', () => {
  it('turns whole days into the instants of [first day’s start, the day after the last one) and drops a malformed id', () => {
    const q = toAuditQuery({ actorId: null, entity: null, entityId: 'abc', action: null, from: '2026-12-01', to: '2026-12-02' }, 1);
    expect(q).toEqual({ page: 1, pageSize: 25, from: new Date(2026, 11, 1).toISOString(), to: new Date(2026, 11, 3).toISOString() });
  });
});
