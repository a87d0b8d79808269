import { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { Page, PROTOCOL_COUNT_CAP, PROTOCOL_SEARCH_COUNT_CAP, ProtocolAction, ProtocolDetail, ProtocolListQuery, ProtocolSummary } from '@vetlab/shared';
import { AuthUser } from '../auth/auth-user';
import { notFound } from '../common/domain-error';
import { Report } from '../reports/report.entity';
import { WorkOrder } from '../work-orders/work-order.entity';
import { canSeeClinic } from './protocol-access';
import { ProtocolTransitionsService, TransitionOptions } from './protocol-transitions.service';
import { applyProtocolFilter, countProtocols, countSearchFirst, orderByFor, searchPlanFor, withIndexScansOff } from './protocol-list-query';
import { toProtocolDetail, toProtocolSummary } from './protocol-views';
import { Protocol } from './protocol.entity';

/** Columns a list row needs; notes, samples and the rest stay in the database. */
const SUMMARY_FIELDS = ['id', 'code', 'status', 'priority', 'animalName', 'species', 'ownerName', 'createdAt', 'receivedAt', 'version'] as const;

@Injectable()
export class ProtocolsService {
  constructor(
    private readonly em: EntityManager,
    private readonly transitions: ProtocolTransitionsService,
  ) {}

  /** One page query (clinic and vet names joined) and one count; the indexes cover the filters. */
  async list(user: AuthUser, query: ProtocolListQuery): Promise<Page<ProtocolSummary>> {
    const page = { page: query.page, pageSize: query.pageSize };
    const em = this.em as SqlEntityManager;
    const plan = await searchPlanFor(em, query);
    const counted = await countSearchFirst(em, query, user);
    if (counted?.matches === 0) return { items: [], total: 0, ...page };
    const readPage = async (from: SqlEntityManager) => {
      const qb = from.createQueryBuilder(Protocol, 'p');
      if (!applyProtocolFilter(qb, query, user, plan)) return null;
      qb.select(SUMMARY_FIELDS.map((f) => `p.${f}`))
        .leftJoinAndSelect('p.clinic', 'c', {}, ['id', 'name'])
        .leftJoinAndSelect('p.vet', 'v', {}, ['id', 'name'])
        .orderBy(orderByFor(query.sort))
        .limit(query.pageSize)
        .offset((query.page - 1) * query.pageSize);
      return qb.getResultList();
    };
    const items = counted?.fewMatches ? await withIndexScansOff(em, readPage) : await readPage(em);
    if (!items) return { items: [], total: 0, ...page };
    // A short first page already is the total.
    if (query.page === 1 && items.length < query.pageSize) return { items: items.map(toProtocolSummary), total: items.length, ...page };
    // Counting a decade of rows costs more than the page: count up to a cap and say "more than"
    // beyond it (a text search stops sooner: each match is a row to fetch).
    const cap = query.q?.trim() ? PROTOCOL_SEARCH_COUNT_CAP : PROTOCOL_COUNT_CAP;
    const n = counted ? counted.matches : await countProtocols(em, query, user, plan, cap + 1);
    return { items: items.map(toProtocolSummary), total: Math.min(n, cap), totalCapped: n > cap, ...page };
  }

  async detail(user: AuthUser, id: string): Promise<ProtocolDetail> {
    const p = await this.em.findOne(Protocol, { id }, { populate: ['clinic', 'vet', 'receivedBy', 'panels'] });
    if (!p || !canSeeClinic(user, p.clinic.id)) throw notFound('protocol');
    const wo = await this.em.findOneOrFail(WorkOrder, { protocol: id }, { fields: ['id'] });
    const report = await this.em.findOneOrFail(Report, { protocol: id }, { fields: ['id'] });
    return toProtocolDetail(p, user, { workOrderId: wo.id, reportId: report.id });
  }

  /** Staff and admins only (the route says so); answers with the fresh detail. */
  async transition(user: AuthUser, id: string, action: ProtocolAction, opts: TransitionOptions): Promise<ProtocolDetail> {
    await this.transitions.transition(user.id, id, action, opts);
    return this.detail(user, id);
  }
}
