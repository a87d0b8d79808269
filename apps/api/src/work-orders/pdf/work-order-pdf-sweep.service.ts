import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { FILE_STORAGE, FileStorage } from '../../storage/file-storage';
import { WorkOrderPdfRepository } from './work-order-pdf.repository';

const BATCH = 500;

/**
 * Worker role. Periodically: files (and records) of versions older than their work order's current
 * one are removed once the work order has gone WORK_ORDER_PDF_RETENTION_SECONDS unedited.
 */
@Injectable()
export class WorkOrderPdfSweepService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(WorkOrderPdfSweepService.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly em: EntityManager,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly pdfs: WorkOrderPdfRepository,
  ) {}

  onApplicationBootstrap() {
    // Half the retention, between 10 s and an hour: an old file outlives its retention by at most that.
    const every = Math.min(3600, Math.max(10, this.config.workOrderPdf.retentionSeconds / 2)) * 1000;
    this.timer = setInterval(() => void this.sweep().catch((e: Error) => this.log.error(`sweeping old work-order PDFs failed: ${e.message}`)), every);
    this.timer.unref();
  }

  onApplicationShutdown() {
    if (this.timer) clearInterval(this.timer);
  }

  /** Returns how many old versions were removed. */
  async sweep(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.workOrderPdf.retentionSeconds * 1000);
    let removed = 0;
    for (;;) {
      const em = this.em.fork();
      const old = await this.pdfs.oldVersions(em, cutoff, BATCH);
      if (!old.length) return removed;
      // The file first: a record without its file is rendered again, a file without a record would be lost.
      for (const f of old) if (f.storageKey) await this.storage.remove(f.storageKey);
      await this.pdfs.remove(em, old.map((f) => f.id));
      removed += old.length;
      if (old.length < BATCH) return removed;
    }
  }
}
