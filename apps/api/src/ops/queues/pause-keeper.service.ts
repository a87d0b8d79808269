import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { StrandedJobs } from '../../jobs/stranded-jobs.service';
import { QueuePauses } from './queue-pauses.service';

/**
 * Every process (api and worker): every OPS_PAUSE_CHECK_MS, ends expired pauses and makes Redis
 * agree with the pauses table. Whichever process looks first does it; the others find nothing to do.
 * Nothing here ever throws out of the timer: a database or Redis away is logged once, and the next
 * check tries again.
 */
@Injectable()
export class PauseKeeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(PauseKeeper.name);
  private timer: NodeJS.Timeout | null = null;
  private checking = false;
  private failing = false;

  constructor(
    private readonly pauses: QueuePauses,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    stranded: StrandedJobs,
  ) {
    // The sweep puts back what a Redis restart lost; a lost pause flag goes back first, or the jobs
    // it re-queues to a paused queue would run before this keeper's next check.
    stranded.addPrecondition({ name: 'queue pauses', ensure: () => this.pauses.reconcile() });
  }

  onApplicationBootstrap() {
    this.timer = setInterval(() => void this.check(), this.config.ops.pauseCheckMs).unref();
    void this.check();
  }

  onApplicationShutdown() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One check (also what tests call to not wait for the timer). */
  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      await this.pauses.expire();
      await this.pauses.reconcile();
      if (this.failing) this.log.log('queue pauses checked again');
      this.failing = false;
    } catch (e) {
      if (!this.failing) this.log.warn(`queue pauses not checked: ${(e as Error).message}`);
      this.failing = true;
    } finally {
      this.checking = false;
    }
  }
}
