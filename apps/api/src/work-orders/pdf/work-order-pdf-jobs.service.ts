import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ACTIVE_JOB_STATES, JobKind, WorkOrderPdfJobData } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { writeTransaction } from '../../database/database';
import { JobQueues } from '../../jobs/job-queues.service';
import { JobRecord } from '../../jobs/job.entity';
import { JobsService } from '../../jobs/jobs.service';
import { WorkOrderPdfPriority } from '../../jobs/queues';
import { WorkOrderPdf } from './work-order-pdf.entity';
import { WorkOrderPdfRepository } from './work-order-pdf.repository';

export interface EnsureRender {
  workOrderId: string;
  version: number;
  /** Who waits for it; null for a background pre-render. */
  requestedBy: string | null;
  /** The stored file is gone: render the version again even though its record says it is done. */
  rerender?: boolean;
}

/**
 * One render job per (work order, content version), whoever asks and however many at once. The
 * database decides: the unique (work_order_id, content_version) row is inserted by exactly one
 * caller, and a finished job is replaced only through a conditional update of that row's job id.
 */
@Injectable()
export class WorkOrderPdfJobsService {
  private readonly log = new Logger(WorkOrderPdfJobsService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly jobs: JobsService,
    private readonly queues: JobQueues,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly pdfs: WorkOrderPdfRepository,
  ) {}

  /** The job rendering that version (started now, or already running); null when it is rendered. */
  async ensure(req: EnsureRender): Promise<JobRecord | null> {
    const interactive = req.requestedBy !== null;
    const data: WorkOrderPdfJobData = { workOrderId: req.workOrderId, version: req.version };
    this.queues.assertReady(); // Redis away: 503 (a pre-render is skipped) before a job is recorded
    for (let round = 0; round < 5; round++) {
      const em = this.em.fork();
      const row = await em.findOne(WorkOrderPdf, { workOrder: req.workOrderId, contentVersion: req.version });
      const current = row?.jobId ? await em.findOne(JobRecord, { id: row.jobId }) : null;
      if (current && ACTIVE_JOB_STATES.includes(current.state)) {
        if (interactive) await this.queues.promote(JobKind.WorkOrderPdf, current.id, data, WorkOrderPdfPriority.Interactive);
        return current;
      }
      if (row?.storageKey && !req.rerender) return null;

      const jobId = randomUUID();
      let record: JobRecord | null;
      try {
        record = await writeTransaction(this.em, async (tx) => {
          if (!row) await this.pdfs.insert(tx, req.workOrderId, req.version, jobId);
          else if (!(await this.pdfs.claimForJob(tx, row.id, row.jobId, jobId, !!req.rerender))) return null;
          return this.jobs.create(tx, { id: jobId, kind: JobKind.WorkOrderPdf, subject: { type: 'work_order', id: req.workOrderId }, createdById: req.requestedBy, payload: data });
        });
      } catch (e) {
        if (e instanceof UniqueConstraintViolationException) continue; // another caller inserted it first
        throw e;
      }
      if (!record) continue; // another caller claimed it first: read its job
      await this.queues.add(JobKind.WorkOrderPdf, jobId, data, { priority: interactive ? WorkOrderPdfPriority.Interactive : WorkOrderPdfPriority.Prerender });
      return record;
    }
    throw new Error(`could not settle the render job of work order ${req.workOrderId} v${req.version}`);
  }

  /**
   * After a work order is created or edited: render its PDF in the background, behind every open
   * a person waits for. Best effort: a failure is logged and the first open renders it instead.
   */
  async prerender(workOrderId: string, version: number): Promise<void> {
    if (!this.config.workOrderPdf.prerender) return;
    try {
      await this.ensure({ workOrderId, version, requestedBy: null });
    } catch (e) {
      this.log.warn(`pre-render of work order ${workOrderId} v${version} not queued: ${(e as Error).message}`);
    }
  }
}
