import { ReportJobResult, ReportJobStage } from '@vetlab/shared';
import { performance } from 'node:perf_hooks';
import type { JobContext } from '../../jobs/jobs.service';

/** Announces each stage (record, Bull, browsers) and keeps how long each took for the job's result. */
export class ReportStageLog {
  readonly stages: ReportJobResult['stages'] = [];
  private current: { stage: ReportJobStage; startedAt: number } | null = null;

  constructor(private readonly ctx: JobContext) {}

  /**
   * The record, Bull and the browsers get the short stages in a write and event they share with the
   * next ones (or with the job's completion), so those cost no write each. Rendering, the stage that
   * lasts, is written and told as it starts (without waiting for it): the record shows it while
   * the render runs.
   */
  async enter(stage: ReportJobStage, progress: number): Promise<void> {
    this.close();
    if (this.ctx.stageSoon) this.ctx.stageSoon(stage, progress, { now: stage === ReportJobStage.Rendering });
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
