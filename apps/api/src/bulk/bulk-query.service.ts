import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { BulkItemsQuery, BulkItemView, BulkListQuery, BulkRunView, isBulkRunOver, Page } from '@vetlab/shared';
import { conflict, notFound } from '../common/domain-error';
import { User } from '../users/user.entity';
import { BulkRun } from './bulk-run.entity';
import { ACTIVE_RUN_STATES, BulkItemRow, csvHeader, csvLine, toBulkItemView, toBulkRunView } from './bulk-views';

const ITEM_SELECT = `select i.protocol_id, p.code, p.animal_name, i.status, i.reason, i.attempts, i.processed_at
  from bulk_items i left join protocols p on p.id = i.protocol_id where i.run_id = ?`;
const CSV_PAGE = 2000;

/** Reading runs and their ledgers (admins only, the controller says so); cancelling a run. */
@Injectable()
export class BulkQueryService {
  constructor(private readonly em: EntityManager) {}

  async list(query: BulkListQuery): Promise<Page<BulkRunView>> {
    const em = this.em.fork();
    const where = query.active ? { state: { $in: ACTIVE_RUN_STATES } } : {};
    const [runs, total] = await em.findAndCount(BulkRun, where, {
      orderBy: { createdAt: 'desc', id: 'asc' },
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    const names = await this.names(em, runs);
    return { items: runs.map((r) => toBulkRunView(r, names.get(r.createdById ?? '') ?? null)), total, page: query.page, pageSize: query.pageSize };
  }

  async view(id: string): Promise<BulkRunView> {
    const em = this.em.fork();
    const run = await em.findOne(BulkRun, { id });
    if (!run) throw notFound('bulk run');
    const names = await this.names(em, [run]);
    return toBulkRunView(run, names.get(run.createdById ?? '') ?? null);
  }

  async items(id: string, query: BulkItemsQuery): Promise<Page<BulkItemView>> {
    const em = this.em.fork();
    if (!(await em.count(BulkRun, { id }))) throw notFound('bulk run');
    const status = query.status ? ' and i.status = ?' : '';
    const params = query.status ? [id, query.status] : [id];
    const conn = em.getConnection();
    const rows: BulkItemRow[] = await conn.execute(`${ITEM_SELECT}${status} order by i.position limit ? offset ?`, [...params, query.pageSize, (query.page - 1) * query.pageSize]);
    const [{ n }]: { n: number | string }[] = await conn.execute(`select count(*) as n from bulk_items i where i.run_id = ?${status}`, params);
    return { items: rows.map(toBulkItemView), total: Number(n), page: query.page, pageSize: query.pageSize };
  }

  /** The whole ledger as CSV, read page by page so a 10,000-item run never sits in memory at once. */
  async csv(id: string): Promise<AsyncGenerator<string>> {
    const em = this.em.fork();
    if (!(await em.count(BulkRun, { id }))) throw notFound('bulk run');
    return this.csvLines(em, id);
  }

  private async *csvLines(em: EntityManager, id: string): AsyncGenerator<string> {
    yield csvHeader();
    for (let offset = 0; ; offset += CSV_PAGE) {
      const rows: BulkItemRow[] = await em.getConnection().execute(`${ITEM_SELECT} order by i.position limit ? offset ?`, [id, CSV_PAGE, offset]);
      yield rows.map((r) => csvLine(toBulkItemView(r))).join('');
      if (rows.length < CSV_PAGE) return;
    }
  }

  /** Asks the processor to stop after its current chunk; the items it has not reached become cancelled. */
  async cancel(id: string): Promise<BulkRunView> {
    const em = this.em.fork();
    const run = await em.findOne(BulkRun, { id });
    if (!run) throw notFound('bulk run');
    if (isBulkRunOver(run.state)) throw conflict(`this bulk run is already ${run.state}`);
    await em.nativeUpdate(BulkRun, { id, state: { $in: ACTIVE_RUN_STATES } }, { cancelRequested: true });
    return this.view(id);
  }

  private async names(em: EntityManager, runs: BulkRun[]): Promise<Map<string, string>> {
    const ids = [...new Set(runs.map((r) => r.createdById).filter((x): x is string => !!x))];
    const users = ids.length ? await em.find(User, { id: { $in: ids } }, { fields: ['id', 'name'] }) : [];
    return new Map(users.map((u) => [u.id, u.name]));
  }
}
