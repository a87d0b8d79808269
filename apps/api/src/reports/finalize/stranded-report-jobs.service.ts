import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ACTIVE_JOB_STATES, JobKind, ReportVersionStatus } from '@vetlab/shared';
import { JobRecord } from '../../jobs/job.entity';
import { ReportJobName } from '../../jobs/queues';
import { ReportVersion } from '../report-version.entity';
import { ReportJobData } from './interfaces/report-job.interface';
import { ReportQueueService } from './report-queue.service';

/**
 * At worker start: versions left in `finalizing` (a crash between commit and enqueue, Redis lost
 * the job, or Bull gave up on it) and unfinished PDF renders get their Bull job back under the same
 * id. Then, every JOB_STRANDED_SWEEP_MS, the same for jobs Redis does not have at all (an API
 * process that died between its commit and its enqueue while this worker kept running). Running it
 * on several workers at once is harmless: Bull dedupes by job id.
 */
@Injectable()
export class StrandedReportJobsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(StrandedReportJobsService.name);
  private timer: NodeJS.Timeout | null = null;
  private sweeping = false;

  constructor(
    private readonly em: EntityManager,
    private readonly queue: ReportQueueService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap() {
    await this.sweep({ replaceFinished: true });
    const every = this.config.jobs.strandedSweepMs;
    if (every > 0) this.timer = setInterval(() => void this.sweep({ replaceFinished: false }), every).unref();
  }

  onApplicationShutdown() {
    if (this.timer) clearInterval(this.timer);
  }

  private async sweep(opts: { replaceFinished: boolean }) {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const revived = await this.recover(opts);
      if (revived) this.log.log(`enqueued ${revived} stranded report job(s) again`);
    } catch (e) {
      // A worker that cannot look now still processes what is queued; the next sweep looks again.
      this.log.error(`looking for stranded report jobs failed: ${(e as Error).message}`);
    } finally {
      this.sweeping = false;
    }
  }

  /** Returns how many jobs had to be added or replaced. */
  async recover(opts: { replaceFinished: boolean } = { replaceFinished: true }): Promise<number> {
    const em = this.em.fork();
    const versions = await em.find(ReportVersion, { status: ReportVersionStatus.Finalizing }, { fields: ['id', 'number', 'report', 'finalizeJobId'] });
    const stranded: { name: ReportJobName; jobId: string; data: ReportJobData }[] = [];
    for (const v of versions) {
      if (!v.finalizeJobId) {
        this.log.warn(`version ${v.id} is finalizing without a job; a signer must finalize it again`);
        continue;
      }
      stranded.push({ name: ReportJobName.Finalize, jobId: v.finalizeJobId, data: { reportId: v.report.id, versionId: v.id, version: v.number } });
    }
    const renders = await em.find(JobRecord, { kind: JobKind.ReportPdf, state: { $in: [...ACTIVE_JOB_STATES] } });
    for (const r of renders) stranded.push({ name: ReportJobName.RenderPdf, jobId: r.id, data: r.payload as unknown as ReportJobData });

    let revived = 0;
    for (const s of stranded) {
      const what = await this.queue.revive(s.name, s.jobId, s.data, opts);
      if (what !== 'alive') revived++;
    }
    return revived;
  }
}
