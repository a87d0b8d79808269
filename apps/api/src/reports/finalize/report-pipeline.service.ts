import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import { RELEASED_VERSION_STATUSES, ReportJobData, ReportJobResult, ReportJobStage, ReportVersionStatus } from '@vetlab/shared';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { JobContext } from '../../jobs/jobs.service';
import { PermanentJobError } from '../../jobs/permanent-job-error';
import { retryWithin } from '../../jobs/retry-within';
import { SupersededRunError } from '../../jobs/superseded-run-error';
import { OutboxService } from '../../mail/outbox.service';
import { PDF_RENDERER, PdfRenderer } from '../../pdf/pdf-renderer';
import { verificationUrl, withVerificationCode } from '../../pdf/verification-code';
import { emitProtocolUpdated, ProtocolChange } from '../../protocols/protocol-events';
import { audience } from '../../realtime/event-audience';
import { RealtimeService } from '../../realtime/realtime.service';
import { FILE_STORAGE, FileStorage } from '../../storage/file-storage';
import { storeFenced } from '../../storage/store-fenced';
import { readSignature } from '../../signatures/signature-image';
import { User } from '../../users/user.entity';
import { ReportVersion } from '../report-version.entity';
import { FinalizeStatusService } from './finalize-status.service';
import { reportPdfContent, reportPdfKey, reportVoidPdfKey } from './report-pdf-content';
import { ReportStageLog } from './report-stage-log';
import { ReportVersionsRepository, VersionForRun, VersionRun } from './report-versions.repository';

const S = ReportJobStage;
type StoredPdf = Pick<ReportJobResult, 'sha256' | 'size' | 'pages' | 'verificationCode'>;

/**
 * The steps of the report jobs. Every stage ends in a checkpoint in the database — the stored PDF
 * (key, SHA-256, size, code) on the version, then the version's status, then the outbox rows — so a
 * retry resumes after the last one and never renders, stores or mails the same version twice.
 *
 * Fenced: each run takes a fresh token on the version when it starts, and every write after that
 * (the file, each checkpoint, the mails) happens only while the version still holds that token. A
 * run whose Bull lock expired mid-render, while another worker took the job over, finds a newer
 * token and stops without writing (SupersededRunError).
 */
@Injectable()
export class ReportPipelineService {
  /** The protocol change of each version this process just finalized, until its job announces it. */
  private readonly changes = new Map<string, ProtocolChange>();

  constructor(
    private readonly em: EntityManager,
    @Inject(PDF_RENDERER) private readonly renderer: PdfRenderer,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    private readonly versions: ReportVersionsRepository,
    private readonly status: FinalizeStatusService,
    private readonly outbox: OutboxService,
    private readonly realtime: RealtimeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** loading → rendering → storing → updating_status → queuing_email. */
  async finalize(data: ReportJobData, ctx: JobContext): Promise<ReportJobResult> {
    const em = this.em.fork();
    const log = new ReportStageLog(ctx);
    await log.enter(S.Loading, 5);
    const token = await this.versions.startRun(em, data.versionId, { finalizeJobId: ctx.jobId });
    const v = await this.load(em, data);
    if (!token) throw new PermanentJobError(`version ${v.number} is no longer being finalized by this job (it is ${v.status})`);
    const run = { jobId: ctx.jobId, token };
    return this.stopsIfSuperseded(em, v, run, () => this.finalizeHeld(em, data, ctx, v, run, log));
  }

  /**
   * A run that fails after a newer run took its version stops superseded, whatever it failed with:
   * its failure is not the job's (a final one would fail the version under the newer run). When
   * the database cannot tell, the failure stands.
   */
  private async stopsIfSuperseded<T>(em: EntityManager, v: VersionForRun, run: VersionRun, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if (e instanceof SupersededRunError) throw e;
      // Asked again through a short outage: a worker thawed after a pause finds its pool's
      // connections timed out at first, and a run that cannot tell would write its failure over
      // the record of the newer run.
      const held = await retryWithin(`tell whether job ${run.jobId} still holds its version`, this.config.jobs.bookkeepingRetryMs, () => this.versions.holdsRun(em, v.id, run.token)).catch(
        () => true,
      );
      throw held ? e : this.superseded(v, run);
    }
  }

  private async finalizeHeld(em: EntityManager, data: ReportJobData, ctx: JobContext, v: VersionForRun, run: VersionRun, log: ReportStageLog): Promise<ReportJobResult> {
    const pdf = await this.renderAndStore(em, v, run, log);
    const mail = { reportId: data.reportId, version: v.number, recipients: [...v.clinic.resultEmails, v.vet?.email] };

    let mails: number;
    if (v.status === ReportVersionStatus.Finalizing) {
      // Status, audit, notices and the outbox rows in one transaction, fenced by the status's
      // conditional update; the mails go to the queue after the commit.
      await log.enter(S.UpdatingStatus, 75);
      const done = await this.status.finalize(v.id, run, ctx.createdById, (tx) => this.outbox.insertReportVersion(tx, mail));
      await log.enter(S.QueuingEmail, 90);
      await this.outbox.send(done.alongside.pending);
      mails = done.alongside.count;
      if (done.protocol) this.remember(data.versionId, done.protocol);
    } else {
      log.skip(S.UpdatingStatus);
      // The outbox rows are unique per version and recipient: a run that passes this check just
      // before a newer one still adds no second mail.
      await this.assertHolds(em, v, run);
      await log.enter(S.QueuingEmail, 90);
      mails = await this.outbox.queueReportVersion(em, mail);
    }
    log.close();
    return { reportId: data.reportId, version: v.number, ...pdf, mails, stages: log.stages };
  }

  /** The protocol's change a run just committed, for its `announce` (which then reads nothing). */
  private remember(versionId: string, change: ProtocolChange): void {
    // Runs that fail after their status commit never announce: the oldest are let go.
    if (this.changes.size >= 1000) this.changes.delete(this.changes.keys().next().value!);
    this.changes.set(versionId, change);
  }

  /**
   * A released version whose file is missing: loading → rendering → storing. An annulled version's
   * file is its PDF stamped ANULADO / VOID (its own key); after storing it the clinic is told, once
   * per recipient (queuing_email), so the annulment's job running twice mails nothing twice.
   */
  async renderPdf(data: ReportJobData, ctx: JobContext): Promise<ReportJobResult> {
    const em = this.em.fork();
    const log = new ReportStageLog(ctx);
    await log.enter(S.Loading, 5);
    const token = await this.versions.startRun(em, data.versionId, { renderJobId: ctx.jobId });
    const v = await this.load(em, data);
    if (!RELEASED_VERSION_STATUSES.includes(v.status)) {
      throw new PermanentJobError(`version ${v.number} is ${v.status}: only finalized versions have a PDF`);
    }
    if (!token) throw new SupersededRunError(`version ${v.number} of report ${data.reportId} is rendered by job ${v.renderJobId} now`);
    const run = { jobId: ctx.jobId, token };
    if (v.status !== ReportVersionStatus.Invalidated) {
      const pdf = await this.renderAndStore(em, v, run, log);
      log.close();
      return { reportId: data.reportId, version: v.number, ...pdf, stages: log.stages };
    }
    const pdf = await this.renderAndStoreVoid(em, v, run, log);
    await this.assertHolds(em, v, run);
    await log.enter(S.QueuingEmail, 90);
    const mails = await this.outbox.queueAnnulment(em, { reportId: data.reportId, version: v.number, recipients: [...v.clinic.resultEmails, v.vet?.email] });
    log.close();
    return { reportId: data.reportId, version: v.number, ...pdf, mails, stages: log.stages };
  }

  /**
   * `protocol:updated` (the protocol is reported now) and `report:ready` once the job is recorded as
   * completed (so a browser that checks the job on the event finds it done): to the lab, the
   * clinic's vets and the signer who finalized.
   */
  async announce(data: ReportJobData, requestedBy: string | null): Promise<void> {
    let change = this.changes.get(data.versionId);
    this.changes.delete(data.versionId);
    if (!change) {
      // A run that found its status done by an earlier one: what the database says now.
      const v = await this.em.fork().findOne(ReportVersion, { id: data.versionId }, { populate: ['report.protocol'] });
      if (v?.status !== ReportVersionStatus.Finalized) return;
      const p = v.report.protocol;
      change = { protocolId: p.id, clinicId: p.clinic.id, status: p.status, version: p.version };
    }
    emitProtocolUpdated(this.realtime, change);
    this.realtime.emit(audience('report:ready', { clinicId: change.clinicId, requestedBy }), 'report:ready', { reportId: data.reportId, version: data.version, protocolId: change.protocolId });
  }

  private async load(em: EntityManager, data: ReportJobData): Promise<VersionForRun> {
    const v = await this.versions.forRun(em, data.versionId);
    if (!v) throw new PermanentJobError(`version ${data.version} of report ${data.reportId} no longer exists`);
    return v;
  }

  /** Skipped when an earlier attempt stored the file; the version's row is the checkpoint. */
  private async renderAndStore(em: EntityManager, v: VersionForRun, run: VersionRun, log: ReportStageLog): Promise<StoredPdf> {
    if (v.pdfKey && v.pdfSha256 && v.pdfSize != null && v.verificationCode && (await this.storage.exists(v.pdfKey))) {
      log.skip(S.Rendering);
      log.skip(S.Storing);
      return { sha256: v.pdfSha256, size: v.pdfSize, pages: null, verificationCode: v.verificationCode };
    }
    await log.enter(S.Rendering, 20);
    const data = withVerificationCode(await this.content(em, v), this.config.publicUrl);
    const rendered = await this.renderer.render({ document: 'report', data });

    // A run that lost the version while it rendered stops here, before it writes even its stage.
    const stillOurs = () => this.assertHolds(em, v, run);
    await stillOurs();
    await log.enter(S.Storing, 60);
    const stored = await storeFenced(this.storage, reportPdfKey(v.reportId, v.number), rendered.pdf, stillOurs);
    const checkpoint = { pdfKey: stored.key, pdfSha256: stored.sha256, pdfSize: stored.size, verificationCode: data.verificationCode };
    if (!(await this.versions.checkpointPdf(em, v.id, run.token, checkpoint))) throw this.superseded(v, run);
    Object.assign(v, checkpoint);
    return { sha256: stored.sha256, size: stored.size, pages: rendered.pages, verificationCode: data.verificationCode };
  }

  /** The annulled version's PDF, stamped on every page; skipped when an earlier run stored it. */
  private async renderAndStoreVoid(em: EntityManager, v: VersionForRun, run: VersionRun, log: ReportStageLog): Promise<StoredPdf> {
    if (v.voidPdfKey && v.voidPdfSha256 && v.voidPdfSize != null && (await this.storage.exists(v.voidPdfKey))) {
      log.skip(S.Rendering);
      log.skip(S.Storing);
      return { sha256: v.voidPdfSha256, size: v.voidPdfSize, pages: null, verificationCode: v.verificationCode ?? '' };
    }
    if (!v.invalidatedAt || !v.invalidationReason) throw new PermanentJobError(`version ${v.number} is annulled without a date or reason`);
    await log.enter(S.Rendering, 20);
    // The original's content and its stored code (what the paper copy and the verification page
    // know, even when the content's code changed since), plus the stamp.
    const computed = withVerificationCode(await this.content(em, v), this.config.publicUrl);
    const code = v.verificationCode ?? computed.verificationCode;
    const data = {
      ...computed,
      verificationCode: code,
      verificationUrl: verificationUrl(this.config.publicUrl, code),
      annulment: { at: v.invalidatedAt.toISOString(), reason: v.invalidationReason },
    };
    const rendered = await this.renderer.render({ document: 'report', data });
    const stillOurs = () => this.assertHolds(em, v, run);
    await stillOurs();
    await log.enter(S.Storing, 60);
    const stored = await storeFenced(this.storage, reportVoidPdfKey(v.reportId, v.number), rendered.pdf, stillOurs);
    const checkpoint = { voidPdfKey: stored.key, voidPdfSha256: stored.sha256, voidPdfSize: stored.size };
    if (!(await this.versions.checkpointVoidPdf(em, v.id, run.token, checkpoint))) throw this.superseded(v, run);
    Object.assign(v, checkpoint);
    return { sha256: stored.sha256, size: stored.size, pages: rendered.pages, verificationCode: data.verificationCode };
  }

  private async assertHolds(em: EntityManager, v: VersionForRun, run: VersionRun): Promise<void> {
    if (!(await this.versions.holdsRun(em, v.id, run.token))) throw this.superseded(v, run);
  }

  private superseded(v: VersionForRun, run: VersionRun): SupersededRunError {
    return new SupersededRunError(`a newer run of job ${run.jobId} holds version ${v.number} of report ${v.reportId}`);
  }

  /**
   * The signature image the version was claimed with (a file that has gone missing fails the run,
   * to be retried: printing none would be a different document); a version claimed before images
   * were files prints the signer's old blob.
   */
  private async signatureOf(em: EntityManager, v: VersionForRun, signer: { id: string }): Promise<Buffer | null> {
    if (!v.signatureKey) return (await em.findOne(User, { id: signer.id }, { fields: ['signaturePng'] }))?.signaturePng ?? null;
    const png = await readSignature(this.storage, v.signatureKey);
    if (!png) throw new Error(`the signature image ${v.signatureKey} of version ${v.number} is missing from the file storage`);
    return png;
  }

  /** Everything in it was fixed when the version was claimed: every run renders the same bytes. */
  private async content(em: EntityManager, v: VersionForRun) {
    if (!v.signer) throw new PermanentJobError(`version ${v.number} has no signer`);
    if (!v.finalizedAt) throw new PermanentJobError(`version ${v.number} has no date it was finalized at`);
    const signaturePng = await this.signatureOf(em, v, v.signer);
    const rows = await this.versions.printedRows(em, v.id);
    return reportPdfContent({
      protocol: v.protocol,
      clinicName: v.clinic.name,
      language: v.clinic.reportLanguage,
      vetName: v.vet?.name ?? null,
      rows,
      observations: v.observations,
      signer: { name: v.signer.name, signaturePng },
      version: v.number,
      supersedesVersion: v.supersedesNumber,
      amendReason: v.amendReason,
      finalizedAt: v.finalizedAt,
    });
  }
}
