import { EntityManager, FilterQuery } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import { ACTIVE_JOB_STATES, JobKind, RELEASED_VERSION_STATUSES, ReportJobData, ReportPdfAccepted, ReportVersionStatus } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';
import { AuthUser } from '../../auth/auth-user';
import { notFound } from '../../common/domain-error';
import { etagMatches, PdfAnswer } from '../../common/pdf-reply';
import { JobRecord } from '../../jobs/job.entity';
import { JobQueues } from '../../jobs/job-queues.service';
import { JobsService } from '../../jobs/jobs.service';
import { reportPdfFilename, reportVoidPdfFilename } from '../../mail/report-mail';
import { canSeeClinic } from '../../protocols/protocol-access';
import { FILE_STORAGE, FileStorage } from '../../storage/file-storage';
import { ReportVersion } from '../report-version.entity';
import { writeTransaction } from '../../database/database';
import { ReportVersionsRepository } from './report-versions.repository';

export type ReportPdfAnswer = PdfAnswer<ReportPdfAccepted>;

/**
 * Report PDF downloads. A released version whose file is missing (seeded data, a lost file, an
 * annulled version whose stamped PDF is not rendered yet) is
 * rendered again by the report pipeline: the caller gets a 202 with the job, never a 500, and two
 * callers get the same job.
 */
@Injectable()
export class ReportPdfService {
  constructor(
    private readonly em: EntityManager,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    private readonly jobs: JobsService,
    private readonly queues: JobQueues,
    private readonly versions: ReportVersionsRepository,
  ) {}

  latest(user: AuthUser, reportId: string, ifNoneMatch: string | undefined): Promise<ReportPdfAnswer> {
    return this.answer(user, { report: reportId, status: ReportVersionStatus.Finalized }, ifNoneMatch);
  }

  version(user: AuthUser, reportId: string, number: number, ifNoneMatch: string | undefined): Promise<ReportPdfAnswer> {
    return this.answer(user, { report: reportId, number, status: { $in: [...RELEASED_VERSION_STATUSES] } }, ifNoneMatch);
  }

  private async answer(user: AuthUser, where: FilterQuery<ReportVersion>, ifNoneMatch: string | undefined): Promise<ReportPdfAnswer> {
    const v = await this.em.findOne(ReportVersion, where, { orderBy: { number: 'desc' }, populate: ['report.protocol.clinic'] });
    // Another clinic's report is "not found", exactly like a missing one.
    if (!v || !canSeeClinic(user, v.report.protocol.clinic.id)) throw notFound('report PDF');
    // An annulled version is only ever served stamped ANULADO / VOID (its own file and ETag).
    const annulled = v.status === ReportVersionStatus.Invalidated;
    const [key, sha256] = annulled ? [v.voidPdfKey, v.voidPdfSha256] : [v.pdfKey, v.pdfSha256];
    if (key && sha256) {
      const etag = `"${sha256}"`;
      if (etagMatches(ifNoneMatch, etag)) return { kind: 'not-modified', etag };
      const file = await this.storage.open(key, { sha256 });
      // The stamped file's name speaks the clinic's language, as the annulment mail's attachment does.
      const { code, clinic } = v.report.protocol;
      const filename = annulled ? reportVoidPdfFilename(code, v.number, clinic.reportLanguage) : reportPdfFilename(code, v.number);
      if (file) return { kind: 'file', file, etag, filename };
    }
    const body = await this.renderAgain(user, v);
    return body ? { kind: 'rendering', body } : this.answer(user, where, ifNoneMatch); // null: stored meanwhile
  }

  /**
   * One render job per version at a time: a conditional UPDATE claims the version's render slot.
   * Null when the version got its file since it was read (the job seen then stored it and finished).
   */
  private async renderAgain(user: AuthUser, v: ReportVersion): Promise<ReportPdfAccepted | null> {
    const reportId = v.report.id;
    const data: ReportJobData = { reportId, versionId: v.id, version: v.number };
    this.queues.assertReady(); // Redis away: 503 before a render is recorded
    const job = await writeTransaction(this.em, async (em) => {
      const running = v.renderJobId ? await em.findOne(JobRecord, { id: v.renderJobId }) : null;
      if (running && ACTIVE_JOB_STATES.includes(running.state)) return running;
      const jobId = randomUUID();
      if (!(await this.versions.claimRenderJob(em, v, jobId))) {
        const current = await em.findOneOrFail(ReportVersion, { id: v.id }, { refresh: true });
        if (current.pdfKey !== v.pdfKey || current.voidPdfKey !== v.voidPdfKey) return null;
        return em.findOneOrFail(JobRecord, { id: current.renderJobId! });
      }
      return this.jobs.create(em, { id: jobId, kind: JobKind.ReportPdf, subject: { type: 'report', id: reportId }, createdById: user.id, payload: data });
    });
    if (!job) return null;
    if (ACTIVE_JOB_STATES.includes(job.state)) await this.queues.add(JobKind.ReportPdf, job.id, data);
    return { jobId: job.id, kind: job.kind, state: job.state, reportId, version: v.number };
  }
}
