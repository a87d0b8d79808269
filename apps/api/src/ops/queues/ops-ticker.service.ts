import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DiskSpace, OpsOverview } from '@vetlab/shared';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { OpsGateway } from './ops-gateway';
import { OpsOverviewService } from './ops-overview.service';

/**
 * What the console would draw: the overview without its timestamp and without the workers' last
 * heartbeat (a worker that beats is the same worker; one that stops beating leaves the list). Of a
 * worker's disk, the console draws only a low one, in MiB: the free bytes of a disk with room change
 * with every write and would send an update every tick.
 */
export function overviewKey(o: OpsOverview): string {
  const disk = (d: DiskSpace | null) => d && (d.low ? { low: true, freeMiB: Math.round(d.freeBytes / 2 ** 20), totalBytes: d.totalBytes } : { low: false });
  return JSON.stringify({ ...o, at: undefined, workers: o.workers.map((w) => ({ ...w, lastSeenAt: undefined, disk: disk(w.disk) })) });
}

/**
 * API role: while sockets of this process watch the console, computes the overview every
 * OPS_TICK_MS and sends it to them when anything but its time changed. N API processes each serve
 * their own sockets, so a browser gets one update per change at most once per tick, whatever N is.
 * Nothing is computed while nobody watches; a failure (the database or Redis away) is logged once
 * and never leaves the timer.
 */
@Injectable()
export class OpsTicker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(OpsTicker.name);
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;
  private failing = false;
  private last: string | null = null;

  constructor(
    private readonly gateway: OpsGateway,
    private readonly overview: OpsOverviewService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap() {
    this.timer = setInterval(() => void this.tick(), this.config.ops.tickMs).unref();
  }

  onApplicationShutdown() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async tick(): Promise<void> {
    if (this.ticking) return;
    if (!this.gateway.localWatchers()) {
      this.last = null; // the next watcher's first tick sends what it may have missed
      return;
    }
    this.ticking = true;
    try {
      const o = await this.overview.get();
      const key = overviewKey(o);
      if (key !== this.last) this.gateway.emitLocal(o);
      this.last = key;
      this.failing = false;
    } catch (e) {
      if (!this.failing) this.log.warn(`live overview not computed: ${(e as Error).message}`);
      this.failing = true;
    } finally {
      this.ticking = false;
    }
  }
}
