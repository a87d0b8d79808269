import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import { ReportJobStage, WorkOrderPdfJobData, WorkOrderPdfJobResult } from '@vetlab/shared';
import type { JobContext } from '../../jobs/jobs.service';
import { PermanentJobError } from '../../jobs/permanent-job-error';
import { SupersededRunError } from '../../jobs/superseded-run-error';
import { PDF_RENDERER, PdfRenderer, RenderPriority } from '../../pdf/pdf-renderer';
import { audience } from '../../realtime/event-audience';
import { RealtimeService } from '../../realtime/realtime.service';
import { FILE_STORAGE, FileStorage } from '../../storage/file-storage';
import { storeFenced } from '../../storage/store-fenced';
import { WorkOrder } from '../work-order.entity';
import { workOrderPdfContent, workOrderPdfKey } from './work-order-pdf-content';
import { WorkOrderPdfRepository } from './work-order-pdf.repository';

const S = ReportJobStage;

/**
 * Renders one content version of a work order into the cache: loading → rendering → storing.
 * Fenced like the report jobs: each run takes a fresh token on the version's row, and the file and
 * the row's checkpoint are written only while the row still holds it; a stale run (its lock
 * expired, another worker took the job) stops without writing.
 */
@Injectable()
export class WorkOrderPdfPipelineService {
  constructor(
    private readonly em: EntityManager,
    @Inject(PDF_RENDERER) private readonly renderer: PdfRenderer,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    private readonly pdfs: WorkOrderPdfRepository,
    private readonly realtime: RealtimeService,
  ) {}

  async render(data: WorkOrderPdfJobData, ctx: JobContext, priority: RenderPriority): Promise<WorkOrderPdfJobResult> {
    const em = this.em.fork();
    await ctx.stage(S.Loading, 5);
    const wo = await em.findOne(WorkOrder, { id: data.workOrderId }, { populate: ['protocol.clinic', 'protocol.vet'] });
    if (!wo) throw new PermanentJobError(`work order ${data.workOrderId} no longer exists`);
    const result: WorkOrderPdfJobResult = { workOrderId: wo.id, version: data.version, sha256: null, size: null, pages: null, renderMs: null };

    // Edited before its turn came: that content is gone. Waiting browsers are told anyway and ask
    // again (getting the new version's job).
    if (wo.contentVersion !== data.version) return { ...result, superseded: true };
    const run = await this.pdfs.startRun(em, wo.id, data.version, ctx.jobId);
    // The row went to another job: this one's record is over already (a job is only replaced once it is).
    if (!run) throw new SupersededRunError(`work order ${wo.id} v${data.version} is rendered by another job now`);
    const { row, token } = run;
    if (row.storageKey && row.sha256 && (await this.storage.exists(row.storageKey))) {
      return { ...result, sha256: row.sha256, size: row.size, pages: row.pages };
    }

    await ctx.stage(S.Rendering, 20);
    const p = wo.protocol;
    const content = workOrderPdfContent(wo, p, p.clinic, p.vet?.name ?? null);
    const rendered = await this.renderer.render({ document: 'work-order', data: content }, priority);

    // A run that lost the row while it rendered stops here, before it writes even its stage.
    const superseded = () => new SupersededRunError(`a newer run of job ${ctx.jobId} holds work order ${wo.id} v${data.version}`);
    const stillOurs = async () => {
      if (!(await this.pdfs.holdsRun(em, row.id, token))) throw superseded();
    };
    await stillOurs();
    await ctx.stage(S.Storing, 70);
    const stored = await storeFenced(this.storage, workOrderPdfKey(wo.id, data.version), rendered.pdf, stillOurs);
    const recorded = await this.pdfs.recordStored(em, row.id, token, { storageKey: stored.key, sha256: stored.sha256, size: stored.size, pages: rendered.pages });
    if (!recorded) throw superseded();
    return { ...result, sha256: stored.sha256, size: stored.size, pages: rendered.pages, renderMs: rendered.renderMs };
  }

  /**
   * `work-order-pdf:ready` once the job is recorded as completed (so a browser that checks the job
   * on the event finds it done): to the requester, the clinic's vets and the lab.
   */
  async announce(data: WorkOrderPdfJobData, requestedBy: string | null): Promise<void> {
    const wo = await this.em.fork().findOne(WorkOrder, { id: data.workOrderId }, { populate: ['protocol'] });
    if (!wo) return;
    this.realtime.emit(audience('work-order-pdf:ready', { clinicId: wo.protocol.clinic.id, requestedBy }), 'work-order-pdf:ready', { workOrderId: data.workOrderId, version: data.version });
  }
}
