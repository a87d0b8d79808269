import { describe, expect, it } from 'vitest';
import { DEFAULT_SORT, hasFilters, nextSort, parseTableState, sortOf, toApiQuery, toSearchParams } from './protocol-query';

const CLINIC = '2e5d709d-8199-44cf-b96e-d24adfaae2bb';

describe('protocol table state in the URL', () => {
  it('defaults to page 1 of 25, newest first, no filters', () => {
    const s = parseTableState(new URLSearchParams());
    expect(s).toEqual({ page: 1, pageSize: 25, sort: '-createdAt', status: [], clinicId: null, species: null, from: null, to: null, q: '' });
    expect(toSearchParams(s).toString()).toBe('');
    expect(hasFilters(s)).toBe(false);
  });

  it('round-trips every field', () => {
    const url = `status=received%2Cin_analysis&clinicId=${CLINIC}&species=cat&from=2026-01-01&to=2026-02-01&q=luna&sort=ownerName&page=3&pageSize=50`;
    const s = parseTableState(new URLSearchParams(url));
    expect(s).toEqual({
      page: 3,
      pageSize: 50,
      sort: 'ownerName',
      status: ['received', 'in_analysis'],
      clinicId: CLINIC,
      species: 'cat',
      from: '2026-01-01',
      to: '2026-02-01',
      q: 'luna',
    });
    expect(toSearchParams(s).toString()).toBe(url);
    expect(hasFilters(s)).toBe(true);
    expect(toApiQuery(s)).toEqual({
      page: 3,
      pageSize: 50,
      sort: 'ownerName',
      status: 'received,in_analysis',
      clinicId: CLINIC,
      species: 'cat',
      from: '2026-01-01',
      to: '2026-02-01',
      q: 'luna',
    });
  });

  it('drops what the API would refuse instead of sending it', () => {
    const s = parseTableState(
      new URLSearchParams('status=received,bogus&clinicId=12&species=fish&from=yesterday&to=2026-13&sort=password&page=-1&pageSize=7'),
    );
    expect(s).toMatchObject({ page: 1, pageSize: 25, sort: DEFAULT_SORT, status: ['received'], clinicId: null, species: null, from: null, to: null });
  });

  it('sorts a new column ascending (dates newest first) and flips the current one', () => {
    expect(nextSort('-createdAt', 'code')).toBe('code');
    expect(nextSort('code', 'code')).toBe('-code');
    expect(nextSort('-code', 'code')).toBe('code');
    expect(nextSort('code', 'receivedAt')).toBe('-receivedAt');
    expect(nextSort('-createdAt', 'createdAt')).toBe('createdAt');
    expect(sortOf('-code', 'code')).toBe('desc');
    expect(sortOf('code', 'code')).toBe('asc');
    expect(sortOf('code', 'status')).toBeNull();
  });
});
