import { Injectable } from '@nestjs/common';
import { JOBS, OpsJobPage, OpsJobQuery, OpsJobRow, OpsStuckJob } from '@vetlab/shared';
import { z } from 'zod';
import { notFound } from '../../common/domain-error';
import { JobRecord } from '../../jobs/job.entity';
import { actionsFor, labelOf, stagesView } from './ops-job-rules';
import { OpsJobsRepository } from './ops-jobs.repository';
import { BullStates, OpsStuckService } from './ops-stuck.service';

/** The jobs list's query once parsed (defaults applied). */
export type OpsJobListDto = z.output<typeof OpsJobQuery>;

/**
 * The console's job rows: records named in the lab's words, with Bull's state (one pipeline per
 * queue for the page; null and still an answer when Redis is away) and the actions allowed now.
 * Names come in batch: one query per subject type and one for the people, whatever the page size.
 */
@Injectable()
export class OpsJobsService {
  constructor(
    private readonly repo: OpsJobsRepository,
    private readonly stuck: OpsStuckService,
  ) {}

  async list(query: OpsJobListDto): Promise<OpsJobPage> {
    const { page, pageSize, ...filter } = query;
    const [records, total] = await this.repo.page(filter, page, pageSize);
    return { items: await this.rows(records), total, page, pageSize };
  }

  async one(id: string): Promise<OpsJobRow> {
    const record = await this.repo.one(id);
    if (!record) throw notFound('job');
    return (await this.rows([record]))[0];
  }

  /** `GET /api/ops/stuck`. */
  async stuckJobs(): Promise<OpsStuckJob[]> {
    const stuck = await this.stuck.list();
    const states: BullStates = new Map(stuck.flatMap((s) => (s.bullState === undefined ? [] : [[s.record.id, s.bullState] as const])));
    const rows = await this.rows(stuck.map((s) => s.record), states);
    return stuck.map((s, i) => ({ job: rows[i], reason: s.verdict.reason, forMs: s.verdict.forMs, limitMs: s.verdict.limitMs }));
  }

  /** Rows of these records, in their order. */
  async rows(records: JobRecord[], known?: BullStates): Promise<OpsJobRow[]> {
    const [facts, names, states, limits] = await Promise.all([
      this.repo.subjectFacts(records),
      this.repo.userNames(records.map((r) => r.createdById)),
      known ?? this.stuck.bullStates(records),
      this.stuck.limits(),
    ]);
    const now = Date.now();
    return records.map((r) => {
      const bullState = states.has(r.id) ? (states.get(r.id) ?? null) : undefined;
      const version = r.payload && 'version' in r.payload && r.subjectType === 'report' ? Number(r.payload.version) : null;
      const { label, link } = labelOf(r.kind, r.subjectId, facts.get(r.subjectId.toLowerCase()), version);
      const createdBy = r.createdById ? { id: r.createdById, name: names.get(r.createdById.toLowerCase()) ?? 'usuario eliminado' } : null;
      const stuck = !!this.stuck.verdict(r, states, limits, now);
      return {
        id: r.id,
        kind: r.kind,
        queue: JOBS[r.kind].queue,
        state: r.state,
        bullState: bullState ?? null,
        subject: { type: r.subjectType, id: r.subjectId },
        label,
        link,
        createdBy,
        attempts: r.attempts,
        progress: r.progress,
        stage: r.stage,
        stages: stagesView(r.stages, r.finishedAt),
        failedReason: r.failedReason,
        createdAt: r.createdAt.toISOString(),
        startedAt: r.startedAt?.toISOString() ?? null,
        finishedAt: r.finishedAt?.toISOString() ?? null,
        actions: actionsFor({ kind: r.kind, state: r.state, bullState, stuck }),
      };
    });
  }
}
