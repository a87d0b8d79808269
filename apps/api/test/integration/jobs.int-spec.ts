import { getQueueToken } from '@nestjs/bull';
import { FinalizeAccepted, JobEvent, JobView, QueueName, ReportVersionStatus } from '@vetlab/shared';
import type { Queue } from 'bull';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { JobRecord } from '../../src/jobs/job.entity';
import { Protocol } from '../../src/protocols/protocol.entity';
import { ReportVersion } from '../../src/reports/report-version.entity';
import { LocalFileStorage } from '../../src/storage/local-file-storage';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { readyReport } from '../support/reports';
import { startSmtp, TestSmtp } from '../support/smtp';
import { record, SocketPool } from '../support/socket';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

describe('jobs', () => {
  let t: TestApp;
  let f: Fixtures;
  let smtp: TestSmtp;
  const sockets = new SocketPool();
  const tok = { signer: '', staff: '', vetA: '', vetB: '', admin: '' };

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await createTestApp({ SMTP_URL: smtp.url, JOB_BACKOFF_MS: '200', JOB_ATTEMPTS: '3' });
    f = await seedFixtures(t.em());
    [tok.signer, tok.staff, tok.vetA, tok.vetB, tok.admin] = await Promise.all([f.signer, f.staff, f.vetA, f.vetB, f.admin].map((u) => tokenFor(t, u)));
  });
  afterAll(async () => {
    sockets.closeAll();
    await t?.close();
    await smtp?.close();
  });

  const get = (path: string, token: string) => t.http().get(path).set(bearer(token));
  const finalize = (reportId: string) => t.http().post(`/api/reports/${reportId}/finalize`).set(bearer(tok.signer)).send().expect(202);
  const settled = (jobId: string) =>
    waitUntil(async () => {
      const j = (await get(`/api/jobs/${jobId}`, tok.signer).expect(200)).body as JobView;
      return j.state === 'completed' || j.state === 'failed' ? j : null;
    }, { ms: 25_000, what: `job ${jobId} to finish` });
  const reportsQueue = () => t.app.get<Queue>(getQueueToken(QueueName.Reports));
  /** A file where the report's PDF folder must go: every store fails (a real I/O error) until removed. */
  const blockStorage = (reportId: string) => {
    const folder = dirname(LocalFileStorage.forConfig(t.config).pathOf(`reports/${reportId}/v1.pdf`));
    mkdirSync(dirname(folder), { recursive: true });
    writeFileSync(folder, 'not a folder');
    return () => rmSync(folder, { force: true });
  };

  describe('reading a job', () => {
    let jobId: string;
    beforeAll(async () => {
      const { reportId } = await readyReport(t, f, { vet: tok.vetA, staff: tok.staff });
      jobId = ((await finalize(reportId)).body as FinalizeAccepted).jobId;
      await settled(jobId);
    });

    it('staff, admins and the clinic’s vet read it; another clinic’s vet gets 404 like a missing job', async () => {
      for (const token of [tok.signer, tok.staff, tok.admin, tok.vetA]) {
        expect((await get(`/api/jobs/${jobId}`, token).expect(200)).body).toMatchObject({ id: jobId, state: 'completed' });
      }
      const foreign = await get(`/api/jobs/${jobId}`, tok.vetB).expect(404);
      const missing = await get('/api/jobs/00000000-0000-4000-8000-000000000000', tok.vetB).expect(404);
      expect(foreign.body).toEqual(missing.body);
      expect((await get('/api/jobs/123', tok.staff).expect(400)).body.details).toEqual([{ field: 'param.id', message: 'must be a UUID', code: 'invalid_format' }]);
      await t.http().get(`/api/jobs/${jobId}`).expect(401);
    });

    it('shows state, progress, stage, attempts, timestamps and result', async () => {
      const j = (await get(`/api/jobs/${jobId}`, tok.staff).expect(200)).body as JobView;
      expect(j).toMatchObject({ kind: 'finalize_report', state: 'completed', progress: 100, stage: 'queuing_email', attempts: 1, failedReason: null });
      expect(Date.parse(j.createdAt)).toBeLessThanOrEqual(Date.parse(j.startedAt!));
      expect(Date.parse(j.startedAt!)).toBeLessThanOrEqual(Date.parse(j.finishedAt!));
      expect(j.result).toMatchObject({ version: 1, mails: 2 });
    });
  });

  it('lists the caller’s jobs, newest first; active=true keeps the unfinished ones; vets only ever see their own', async () => {
    const em = t.em();
    const subject = { subjectType: 'report' as const, subjectId: '00000000-0000-4000-8000-00000000000a' };
    const at = (s: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, s));
    const mk = (createdById: string, state: JobRecord['state'], s: number) =>
      em.create(JobRecord, { kind: 'bulk_protocols', state, ...subject, createdById, createdAt: at(s) });
    const mine = [mk(f.admin.id, 'queued', 1), mk(f.admin.id, 'active', 2), mk(f.admin.id, 'retrying', 3), mk(f.admin.id, 'completed', 4), mk(f.admin.id, 'failed', 5)];
    mk(f.staff.id, 'active', 6);
    const vetJob = mk(f.vetB.id, 'completed', 7);
    await em.flush();

    const all = (await get('/api/jobs?mine=true', tok.admin).expect(200)).body as JobView[];
    expect(all.map((j) => j.id)).toEqual([...mine].reverse().map((j) => j.id));
    const active = (await get('/api/jobs?mine=true&active=true', tok.admin).expect(200)).body as JobView[];
    expect(active.map((j) => j.state)).toEqual(['retrying', 'active', 'queued']);
    const everyone = (await get('/api/jobs?active=true', tok.admin).expect(200)).body as JobView[];
    expect(everyone.length).toBeGreaterThan(active.length);
    const vet = (await get('/api/jobs?mine=false', tok.vetB).expect(200)).body as JobView[];
    expect(vet.map((j) => j.id)).toEqual([vetJob.id]);
    expect((await get('/api/jobs?active=yes', tok.admin).expect(400)).body.details[0].field).toBe('query.active');
  });

  it('a permanent error fails the job at once: finalize_failed with the reason, job:failed, no retry; a signer finalizes it again', async () => {
    const socket = await sockets.connect(t, tok.signer);
    const failedEvents = record(socket, 'job:failed');
    const { protocol, reportId } = await readyReport(t, f, { vet: tok.vetA, staff: tok.staff });
    // Hold the worker while the protocol is (wrongly) moved back, so the job meets a state it cannot fix.
    await reportsQueue().pause(true);
    let jobId: string;
    try {
      jobId = ((await finalize(reportId)).body as FinalizeAccepted).jobId;
      await t.em().nativeUpdate(Protocol, { id: protocol.id }, { status: 'rejected' });
    } finally {
      await reportsQueue().resume(true);
    }
    const failed = await settled(jobId);
    expect(failed).toMatchObject({ state: 'failed', attempts: 1, failedReason: `protocol ${protocol.code} is rejected: it cannot be reported` });
    const bull = await reportsQueue().getJob(jobId);
    expect(bull?.attemptsMade).toBe(1);
    expect(await bull?.getState()).toBe('failed');
    const v = await t.em().findOneOrFail(ReportVersion, { report: reportId, number: 1 });
    expect([v.status, v.failureReason]).toEqual([ReportVersionStatus.FinalizeFailed, failed.failedReason]);
    await waitUntil(() => failedEvents.find((e: JobEvent) => e.jobId === jobId), { what: 'job:failed event' });
    expect(failedEvents.find((e) => e.jobId === jobId)).toMatchObject({ state: 'failed', failedReason: failed.failedReason, subject: { type: 'report', id: reportId } });

    // The signer fixes the cause and finalizes again: a new job, which completes.
    await t.em().nativeUpdate(Protocol, { id: protocol.id }, { status: 'in_analysis' });
    const again = (await finalize(reportId)).body as FinalizeAccepted;
    expect(again.jobId).not.toBe(jobId);
    expect((await settled(again.jobId)).state).toBe('completed');
    const after = await t.em().findOneOrFail(ReportVersion, { id: v.id });
    expect([after.status, after.failureReason, after.finalizeJobId]).toEqual(['finalized', null, again.jobId]);
    expect(await t.em().count(JobRecord, { subjectId: reportId })).toBe(2);
  });

  it('an ordinary error is retried with exponential backoff; the job completes once the cause is gone', async () => {
    const socket = await sockets.connect(t, tok.signer);
    const progress = record(socket, 'job:progress');
    const { reportId } = await readyReport(t, f, { vet: tok.vetA, staff: tok.staff });
    const unblock = blockStorage(reportId);
    const { jobId } = (await finalize(reportId)).body as FinalizeAccepted;
    const retrying = await waitUntil(async () => {
      const j = await t.em().findOne(JobRecord, { id: jobId });
      return j?.state === 'retrying' ? j : null;
    }, { every: 5, what: 'state retrying' });
    unblock();
    expect(retrying.failedReason).toMatch(/EEXIST|ENOTDIR/);
    const done = await settled(jobId);
    expect(done).toMatchObject({ state: 'completed', failedReason: null });
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    expect((await reportsQueue().getJob(jobId))?.opts).toMatchObject({ attempts: 3, backoff: { type: 'exponential', delay: 200 } });
    expect(progress.some((e) => e.jobId === jobId && e.state === 'retrying' && /EEXIST|ENOTDIR/.test(e.failedReason ?? ''))).toBe(true);
    expect((await t.em().findOneOrFail(ReportVersion, { report: reportId, number: 1 })).status).toBe('finalized');
  });

  it('an error on every attempt fails it for good after JOB_ATTEMPTS: finalize_failed with the reason', async () => {
    const { reportId } = await readyReport(t, f, { vet: tok.vetA, staff: tok.staff });
    const unblock = blockStorage(reportId);
    try {
      const { jobId } = (await finalize(reportId)).body as FinalizeAccepted;
      const failed = await settled(jobId);
      expect(failed).toMatchObject({ state: 'failed', attempts: 3, failedReason: expect.stringMatching(/EEXIST|ENOTDIR/) });
      expect((await reportsQueue().getJob(jobId))?.attemptsMade).toBe(3);
      const v = await t.em().findOneOrFail(ReportVersion, { report: reportId, number: 1 });
      expect([v.status, v.failureReason]).toEqual(['finalize_failed', failed.failedReason]);
      // The version shows the failure to staff, and a vet still sees nothing of it.
      const staffView = (await get(`/api/reports/${reportId}`, tok.staff).expect(200)).body;
      expect(staffView.versions[0]).toMatchObject({ status: 'finalize_failed', failureReason: failed.failedReason });
      expect((await get(`/api/reports/${reportId}`, tok.vetA).expect(200)).body.versions).toEqual([]);
    } finally {
      unblock();
    }
    const again = (await finalize(reportId)).body as FinalizeAccepted;
    expect((await settled(again.jobId)).state).toBe('completed');
  });
});
