import { ReportJobResult, ReportJobStage } from '@vetlab/shared';
import { performance } from 'node:perf_hooks';
import type { JobContext } from '../../jobs/jobs.service';

/** Announces each stage (record, Bull, browsers) and keeps how long each took for the job's result. */
export class ReportStageLog {
  readonly stages: ReportJobResult['stages'] = [];
  private current: { stage: ReportJobStage; startedAt: number } | null = null;

  constructor(private readonly ctx: JobContext) {}

  /**
   * The browsers hear at once; the record and Bull get the stage in a write it may share with the
   * next ones (or with the job's completion), so the short stages cost no write each.
   */
  async enter(stage: ReportJobStage, progress: number): Promise<void> {
    this.close();
    if (this.ctx.stageSoon) this.ctx.stageSoon(stage, progress);
    else await this.ctx.stage(stage, progress);
    this.current = { stage, startedAt: performance.now() };
  }

  /** A checkpoint of an earlier attempt covers this stage. */
  skip(stage: ReportJobStage): void {
    this.close();
    this.stages.push({ stage, ms: 0, skipped: true });
  }

  close(): void {
    if (!this.current) return;
    this.stages.push({ stage: this.current.stage, ms: Math.round(performance.now() - this.current.startedAt), skipped: false });
    this.current = null;
  }
}
