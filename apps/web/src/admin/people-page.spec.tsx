import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { UserView } from '@vetlab/shared';
import { describe, expect, it } from 'vitest';
import { json, renderWithProviders, signedInApi, USERS } from '../testing/render';
import { PeoplePage } from './people-page';

const CLINICS = [
  { id: 'c1', name: 'Clínica Norte' },
  { id: 'c2', name: 'Clínica Sur' },
];
const person = (over: Partial<UserView> = {}): UserView => ({
  id: 'u1',
  email: 'ana@norte.test',
  name: 'Dra. Ana Norte',
  role: 'vet',
  signer: false,
  clinic: { id: 'c1', name: 'Clínica Norte' },
  active: true,
  createdAt: '2026-12-01T10:00:00.000Z',
  hasSignature: false,
  ...over,
});
const page = (items: UserView[], total = items.length) => json({ items, total, page: 1, pageSize: 25 });

describe('PeoplePage', () => {
  it('lists people with role, clinic, signer and status, filtered by what the URL says', async () => {
    const people = [person(), person({ id: 'u2', name: 'Carla Técnica', email: 'carla@lab.test', role: 'staff', signer: true, clinic: null, active: false })];
    const { api, calls } = await signedInApi(USERS.admin, (url) => (url.pathname === '/api/clinics' ? json(CLINICS) : page(people)));
    renderWithProviders(<PeoplePage />, { api, at: '/admin/people?role=staff&active=false&q=carla' });
    const rows = await screen.findAllByTestId('person-row');
    expect(Object.fromEntries(calls.find((u) => u.pathname === '/api/users')?.searchParams ?? [])).toEqual({ role: 'staff', active: 'false', q: 'carla', page: '1', pageSize: '25' });
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByRole('link', { name: 'Dra. Ana Norte' })).toHaveAttribute('href', '/admin/people/u1');
    expect(rows[0]).toHaveTextContent('Veterinario/a');
    expect(rows[0]).toHaveTextContent('Clínica Norte');
    expect(rows[0]).toHaveTextContent('Activa');
    expect(rows[1]).toHaveTextContent('Firma informes');
    expect(rows[1]).toHaveTextContent('Desactivada');
    expect(screen.getByTestId('people-total')).toHaveTextContent('2 personas');
    expect(screen.getByTestId('people-search')).toHaveValue('carla');
  });

  it('says so when nobody matches, and pages when there are more', async () => {
    const { api } = await signedInApi(USERS.admin, (url) => (url.pathname === '/api/clinics' ? json(CLINICS) : page([])));
    renderWithProviders(<PeoplePage />, { api, at: '/admin/people' });
    expect(await screen.findByTestId('people-empty')).toHaveTextContent('Ninguna persona coincide con los filtros.');
    expect(screen.getByTestId('people-total')).toHaveTextContent('0 personas');
  });

  it('shows a loader while loading, then a pager for many people; a typed search goes into the URL', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const { api, calls } = await signedInApi(USERS.admin, async (url) => {
      if (url.pathname === '/api/clinics') return json(CLINICS);
      await gate;
      return page([person()], 60);
    });
    const { router } = renderWithProviders(<PeoplePage />, { api, at: '/admin/people' });
    expect(await screen.findByTestId('people-loading')).toBeInTheDocument();
    release();
    await screen.findByTestId('person-row');
    expect(screen.getByTestId('people-total')).toHaveTextContent('60 personas');
    expect(screen.getByRole('button', { name: '3' })).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('people-search'), { target: { value: 'ana' } });
    await waitFor(() => expect(router.state.location.search).toBe('?q=ana'));
    await waitFor(() => expect(calls.some((u) => u.pathname === '/api/users' && u.searchParams.get('q') === 'ana')).toBe(true));
  });
});
