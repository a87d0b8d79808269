import { EntityManager, FilterQuery } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { ACTIVE_JOB_STATES, JobListQuery, JobView, Role } from '@vetlab/shared';
import { z } from 'zod';
import { AuthUser } from '../auth/auth-user';
import { notFound } from '../common/domain-error';
import { canSeeJobSubject } from './job-access';
import { JobRecord } from './job.entity';
import { toJobView } from './job-views';

export type JobListDto = z.output<typeof JobListQuery>;

const LIST_LIMIT = 100;

/** Reading jobs over HTTP: what a browser resynchronises from after a reload or a lost socket. */
@Injectable()
export class JobsQueryService {
  constructor(private readonly em: EntityManager) {}

  /** A job the caller may not see is "not found", exactly like a missing one. */
  async view(user: AuthUser, id: string): Promise<JobView> {
    const job = await this.em.findOne(JobRecord, { id });
    if (!job || !(await canSeeJobSubject(this.em, user, { type: job.subjectType, id: job.subjectId }))) throw notFound('job');
    return toJobView(job);
  }

  /** Newest first, at most 100. Vets only ever list their own jobs. */
  async list(user: AuthUser, query: JobListDto): Promise<JobView[]> {
    const where: FilterQuery<JobRecord> = {};
    if (query.mine || user.role === Role.Vet) where.createdById = user.id;
    if (query.active) where.state = { $in: [...ACTIVE_JOB_STATES] };
    const jobs = await this.em.find(JobRecord, where, { orderBy: { createdAt: 'desc', id: 'asc' }, limit: LIST_LIMIT });
    return jobs.map(toJobView);
  }
}
