import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { BulkItemsQuery, BulkItemView, BulkListQuery, BulkRunView, isBulkRunOver, Page } from '@vetlab/shared';
import { conflict, notFound } from '../common/domain-error';
import { User } from '../users/user.entity';
import { BulkRun } from './bulk-run.entity';
import { BulkLedgerRepository } from './bulk-ledger.repository';
import { ACTIVE_RUN_STATES, csvHeader, csvLine, toBulkItemView, toBulkRunView } from './bulk-views';

const CSV_PAGE = 2000;

/** Reading runs and their ledgers (admins only, the controller says so); cancelling a run. */
@Injectable()
export class BulkQueryService {
  constructor(
    private readonly em: EntityManager,
    private readonly ledger: BulkLedgerRepository,
  ) {}

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
    const rows = await this.ledger.page(em, id, query.status, query.pageSize, (query.page - 1) * query.pageSize);
    const total = await this.ledger.count(em, id, query.status);
    return { items: rows.map(toBulkItemView), total, page: query.page, pageSize: query.pageSize };
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
      const rows = await this.ledger.page(em, id, undefined, CSV_PAGE, offset);
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
    await this.ledger.requestCancel(em, id);
    return this.view(id);
  }

  private async names(em: EntityManager, runs: BulkRun[]): Promise<Map<string, string>> {
    const ids = [...new Set(runs.map((r) => r.createdById).filter((x): x is string => !!x))];
    const users = ids.length ? await em.find(User, { id: { $in: ids } }, { fields: ['id', 'name'] }) : [];
    return new Map(users.map((u) => [u.id, u.name]));
  }
}
