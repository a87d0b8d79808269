import { ObjectQuery, QueryOrder, QueryOrderMap } from '@mikro-orm/core';
import type { QueryBuilder, SqlEntityManager } from '@mikro-orm/knex';
import { PROTOCOL_SEARCH_COUNT_CAP, ProtocolFilter, ProtocolSortField, Role } from '@vetlab/shared';
import { AuthUser } from '../auth/auth-user';
import { Protocol } from './protocol.entity';

export type SortField = (typeof ProtocolSortField)[number];
export interface SortSpec {
  field: SortField;
  direction: 'asc' | 'desc';
}

/** "-createdAt" → createdAt descending; the schema has already checked the field name. */
export function parseSort(sort: string): SortSpec {
  const desc = sort.startsWith('-');
  const field = (desc ? sort.slice(1) : sort) as SortField;
  if (!ProtocolSortField.includes(field)) throw new Error(`unknown sort field ${field}`);
  return { field, direction: desc ? 'desc' : 'asc' };
}

/** Sort fields that may be null; the others are NOT NULL columns. */
const NULLABLE_SORT: readonly SortField[] = ['receivedAt'];

/**
 * Order for a page: nulls last either way (the two databases disagree by default) and the id as a
 * tie-breaker so that pages never repeat or skip a row. A column that is never null is ordered
 * plainly, so that PostgreSQL walks its index backwards for a descending sort.
 */
export function orderByFor(sort: string): QueryOrderMap<Protocol>[] {
  const { field, direction } = parseSort(sort);
  const nullable = NULLABLE_SORT.includes(field);
  const order = direction === 'asc' ? (nullable ? QueryOrder.ASC_NULLS_LAST : QueryOrder.ASC) : nullable ? QueryOrder.DESC_NULLS_LAST : QueryOrder.DESC;
  // The id breaks ties in the same direction, so one (field, id) index serves the whole order both ways.
  return [{ [field]: order } as QueryOrderMap<Protocol>, { id: direction === 'asc' ? QueryOrder.ASC : QueryOrder.DESC }];
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 24 * 3600 * 1000;

/** from/to on createdAt: a bare date covers that whole day (UTC) on both ends; a timestamp is exact. */
export function createdAtRange(from?: string, to?: string): { $gte?: Date; $lt?: Date; $lte?: Date } | undefined {
  if (!from && !to) return undefined;
  const range: { $gte?: Date; $lt?: Date; $lte?: Date } = {};
  if (from) range.$gte = DATE_ONLY.test(from) ? new Date(`${from}T00:00:00.000Z`) : new Date(from);
  if (to) {
    if (DATE_ONLY.test(to)) range.$lt = new Date(new Date(`${to}T00:00:00.000Z`).getTime() + DAY_MS);
    else range.$lte = new Date(to);
  }
  return range;
}

/** Escape character for LIKE; not a backslash, which the two databases treat differently in literals. */
export const LIKE_ESCAPE = '!';

/** A LIKE pattern matching the term anywhere in searchText (already lower-cased at write time). */
export function likePattern(q: string): string {
  const term = q.trim().toLocaleLowerCase('es').replace(/[!%_]/g, (c) => LIKE_ESCAPE + c);
  return `%${term}%`;
}

export interface ProtocolConditions {
  where: ObjectQuery<Protocol>;
  /** LIKE pattern for searchText, or null when there is no search term. */
  search: string | null;
}

/**
 * The filter as conditions, confined to what the caller may see. Null when nothing can match
 * (a vet asking for another clinic gets an empty page, not an error that confirms it exists).
 */
export function protocolConditions(filter: ProtocolFilter, user: Pick<AuthUser, 'role' | 'clinicId'>): ProtocolConditions | null {
  let clinicId = filter.clinicId;
  if (user.role === Role.Vet) {
    if (!user.clinicId || (clinicId && clinicId !== user.clinicId)) return null;
    clinicId = user.clinicId;
  }
  const where: ObjectQuery<Protocol> = {};
  if (clinicId) where.clinic = clinicId;
  if (filter.status?.length) where.status = filter.status.length === 1 ? filter.status[0] : { $in: filter.status };
  if (filter.species) where.species = filter.species;
  const createdAt = createdAtRange(filter.from, filter.to);
  if (createdAt) where.createdAt = createdAt;
  const search = filter.q?.trim() ? likePattern(filter.q) : null;
  return { where, search };
}

/** Shortest term the trigram indexes can serve; a shorter one is matched by reading the rows. */
export const TRIGRAM_MIN = 3;

/** An FTS5 phrase: the term as one literal string (a double quote doubled). */
export function ftsPhrase(q: string): string {
  return `"${q.trim().toLocaleLowerCase('es').replace(/"/g, '""')}"`;
}

/**
 * How the text search reads on SQLite: 'index', its FTS5 table drives; the matching rowids already
 * fetched (few matches: the FTS query runs once for the page and its count); or 'scan', the sort's
 * index is walked with LIKE (a term that matches thousands finds a page sooner that way).
 */
export type SearchPlan = 'index' | 'scan' | { rowids: number[] };
/** Above this many FTS matches a page is found sooner by walking the sort order than by fetching every match. */
const DRIVE_MAX = 2_000;

const isSqlite = (qb: QueryBuilder<Protocol>) => (qb.getKnex().client as { dialect?: string }).dialect === 'sqlite3';
const usesFts = (qb: QueryBuilder<Protocol>, q: string | undefined) => isSqlite(qb) && [...(q ?? '').trim()].length >= TRIGRAM_MIN;

/**
 * The plan for a page of this search on SQLite: the FTS matches read once, up to a bound (a few
 * milliseconds even for a common surname). PostgreSQL's planner makes this choice itself.
 */
export async function searchPlanFor(em: SqlEntityManager, filter: ProtocolFilter): Promise<SearchPlan> {
  if (!usesFts(em.createQueryBuilder(Protocol, 'p'), filter.q)) return 'index';
  const rows = await em
    .getConnection()
    .execute<{ rowid: number }[]>(`select rowid from protocols_fts where protocols_fts match ? limit ${DRIVE_MAX + 1}`, [ftsPhrase(filter.q ?? '')]);
  return rows.length > DRIVE_MAX ? 'scan' : { rowids: rows.map((r) => r.rowid) };
}

/**
 * Applies the filter to a query builder over Protocol aliased `p`; false when nothing can match.
 * The text search is a substring of searchText on both drivers: PostgreSQL serves the LIKE from
 * its trigram index; SQLite asks its FTS5 trigram table (same matches for three characters or
 * more) unless the plan says to walk the rows in order (a term that matches thousands), and reads
 * the rows for a shorter term.
 */
export function applyProtocolFilter(qb: QueryBuilder<Protocol>, filter: ProtocolFilter, user: Pick<AuthUser, 'role' | 'clinicId'>, plan: SearchPlan = 'index'): boolean {
  const c = protocolConditions(filter, user);
  if (!c) return false;
  qb.where(c.where);
  if (!c.search) return true;
  if (typeof plan === 'object' && usesFts(qb, filter.q)) {
    if (!plan.rowids.length) return false;
    qb.andWhere(`${qb.alias}.rowid in (${plan.rowids.map(() => '?').join(', ')})`, plan.rowids);
  } else if (plan === 'index' && usesFts(qb, filter.q)) {
    qb.andWhere(`${qb.alias}.rowid in (select rowid from protocols_fts where protocols_fts match ?)`, [ftsPhrase(filter.q ?? '')]);
  } else {
    qb.andWhere(`${qb.alias}.search_text like ? escape '${LIKE_ESCAPE}'`, [c.search]);
  }
  return true;
}

/**
 * How many protocols match, counted up to `limit` (a list's total: exact below its cap, "more than"
 * above it). No joins to clinics or vets: they never change it. A search whose plan walks the rows
 * ('scan': thousands of FTS matches) is counted on SQLite by joining its FTS5 table, which SQLite
 * reads first and stops reading at `limit`; `rowid in (select …)` would read every match into a
 * list before the first row (20,650 for a common first name on a decade of data: 11–17 ms against 7).
 */
export async function countProtocols(em: SqlEntityManager, filter: ProtocolFilter, user: Pick<AuthUser, 'role' | 'clinicId'>, plan: SearchPlan, limit: number): Promise<number> {
  const qb = em.createQueryBuilder(Protocol, 'p');
  const joinFts = plan === 'scan' && usesFts(qb, filter.q);
  if (!applyProtocolFilter(qb, joinFts ? { ...filter, q: undefined } : filter, user, plan === 'scan' ? 'index' : plan)) return 0;
  const capped = qb.select('p.id').limit(limit).getKnexQuery();
  if (joinFts) capped.join('protocols_fts as f', 'f.rowid', 'p.rowid').whereRaw('f.protocols_fts match ?', [ftsPhrase(filter.q ?? '')]);
  const [row] = await em.getConnection().execute<{ n: number | string }[]>(em.getKnex().count({ n: '*' }).from(capped.as('capped')));
  return Number(row?.n ?? 0);
}

/**
 * PostgreSQL's side of the choice SQLite makes in searchPlanFor. Its planner estimates a search's
 * matches from the histogram of search_text (1,000 values, migration SearchTextStatistics) and, when
 * it expects many, walks the sort order's index until a page matches. A term found on one histogram
 * value is estimated at ~0.1 % of the rows however rare it is: for 246 matches of a million the walk
 * read ~100,000 rows (57 ms) where the trigram index reads the matches at once (9 ms). So a search is
 * counted first, up to DRIVE_MAX + 1 (the list's total comes from the same count), and `fewMatches`
 * says when its page should be read with plain index scans off, which leaves the trigram index.
 * Undefined where this does not apply (SQLite, no term, a term too short for trigrams).
 */
export async function countSearchFirst(em: SqlEntityManager, filter: ProtocolFilter, user: Pick<AuthUser, 'role' | 'clinicId'>): Promise<{ matches: number; fewMatches: boolean } | undefined> {
  const term = filter.q?.trim() ?? '';
  if (isSqlite(em.createQueryBuilder(Protocol, 'p')) || [...term].length < TRIGRAM_MIN) return undefined;
  // Beyond the search's cap too: the list's total is min(matches, cap), "more than" above it.
  const matches = await countProtocols(em, filter, user, 'index', Math.max(DRIVE_MAX, PROTOCOL_SEARCH_COUNT_CAP) + 1);
  return { matches, fewMatches: matches <= DRIVE_MAX };
}

/** `read` in a transaction of its own with plain index scans off (PostgreSQL; see countSearchFirst). */
export function withIndexScansOff<T>(em: SqlEntityManager, read: (tx: SqlEntityManager) => Promise<T>): Promise<T> {
  return em.fork().transactional(async (tx) => {
    await tx.getConnection().execute('set local enable_indexscan = off', [], 'run', tx.getTransactionContext());
    return read(tx as SqlEntityManager);
  });
}
