import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { OpsMailPage, OpsMailQuery } from '@vetlab/shared';
import type { z } from 'zod';
import { OutboxRepository } from '../../mail/outbox.repository';
import { toOpsMailRow } from './ops-mail-row';

/** The mail log of the operations console: every outbox message, newest first, filtered. */
@Injectable()
export class OpsMailsService {
  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxRepository,
  ) {}

  async list(q: z.output<typeof OpsMailQuery>): Promise<OpsMailPage> {
    const { total, rows } = await this.outbox.logPage(this.em.fork(), { clinicId: q.clinicId, status: q.status, reportId: q.reportId }, q.pageSize, (q.page - 1) * q.pageSize);
    return { items: rows.map(toOpsMailRow), total, page: q.page, pageSize: q.pageSize };
  }
}
