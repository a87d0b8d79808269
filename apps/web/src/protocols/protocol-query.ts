import { isId, ProtocolSortField, ProtocolStatus, Species, values } from '@vetlab/shared';
import type { ApiQuery } from '../api/openapi-contract';

export type SortField = (typeof ProtocolSortField)[number];
export const PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;
export const DEFAULT_SORT = '-createdAt';

/** What the protocol table shows, as kept in the page's URL (so reload and back keep it). */
export interface ProtocolTableState {
  page: number;
  pageSize: number;
  sort: string;
  status: ProtocolStatus[];
  clinicId: string | null;
  species: Species | null;
  /** YYYY-MM-DD, inclusive on both ends. */
  from: string | null;
  to: string | null;
  q: string;
}

export type ProtocolFilters = Pick<ProtocolTableState, 'status' | 'clinicId' | 'species' | 'from' | 'to' | 'q'>;

export const EMPTY_FILTERS: ProtocolFilters = { status: [], clinicId: null, species: null, from: null, to: null, q: '' };

const STATUSES = values(ProtocolStatus) as string[];
const SPECIES = values(Species) as string[];
const SORT = new RegExp(`^-?(${ProtocolSortField.join('|')})$`);
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function positive(text: string | null, fallback: number): number {
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 ? n : fallback;
}

/**
 * Reads the table state from the URL. Anything malformed (a hand-edited or stale link) falls back
 * to its default instead of reaching the API and coming back as a 400.
 */
export function parseTableState(params: URLSearchParams): ProtocolTableState {
  const pageSize = positive(params.get('pageSize'), DEFAULT_PAGE_SIZE);
  const sort = params.get('sort') ?? '';
  const species = params.get('species') ?? '';
  const clinicId = params.get('clinicId') ?? '';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  return {
    page: positive(params.get('page'), 1),
    pageSize: (PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE,
    sort: SORT.test(sort) ? sort : DEFAULT_SORT,
    status: (params.get('status') ?? '').split(',').filter((s): s is ProtocolStatus => STATUSES.includes(s)),
    clinicId: isId(clinicId) ? clinicId : null,
    species: SPECIES.includes(species) ? (species as Species) : null,
    from: DAY.test(from) ? from : null,
    to: DAY.test(to) ? to : null,
    q: (params.get('q') ?? '').slice(0, 100),
  };
}

/** The URL for a state; defaults are left out so a plain /protocols stays plain. */
export function toSearchParams(state: ProtocolTableState): URLSearchParams {
  const p = new URLSearchParams();
  if (state.status.length) p.set('status', state.status.join(','));
  if (state.clinicId) p.set('clinicId', state.clinicId);
  if (state.species) p.set('species', state.species);
  if (state.from) p.set('from', state.from);
  if (state.to) p.set('to', state.to);
  if (state.q.trim()) p.set('q', state.q.trim());
  if (state.sort !== DEFAULT_SORT) p.set('sort', state.sort);
  if (state.page !== 1) p.set('page', String(state.page));
  if (state.pageSize !== DEFAULT_PAGE_SIZE) p.set('pageSize', String(state.pageSize));
  return p;
}

/** GET /api/protocols query; also the react-query key, so equal states share one cache entry. */
export function toApiQuery(state: ProtocolTableState): ApiQuery<'/api/protocols', 'get'> {
  const q: ApiQuery<'/api/protocols', 'get'> = { page: state.page, pageSize: state.pageSize, sort: state.sort };
  if (state.status.length) q.status = state.status.join(',');
  if (state.clinicId) q.clinicId = state.clinicId;
  if (state.species) q.species = state.species;
  if (state.from) q.from = state.from;
  if (state.to) q.to = state.to;
  if (state.q.trim()) q.q = state.q.trim();
  return q;
}

export function hasFilters(state: ProtocolFilters): boolean {
  return state.status.length > 0 || !!state.clinicId || !!state.species || !!state.from || !!state.to || !!state.q.trim();
}

/** Clicking a header: a new column sorts ascending (dates newest first); the same column flips. */
export function nextSort(current: string, field: SortField): string {
  const desc = current.startsWith('-');
  const currentField = desc ? current.slice(1) : current;
  if (currentField === field) return desc ? field : `-${field}`;
  return field === 'createdAt' || field === 'receivedAt' ? `-${field}` : field;
}

export function sortOf(sort: string, field: SortField): 'asc' | 'desc' | null {
  if (sort === field) return 'asc';
  if (sort === `-${field}`) return 'desc';
  return null;
}
