import { readdirSync, readFileSync } from 'node:fs';
import { FinalizeAccepted, JobKind, ReportVersionStatus } from '@vetlab/shared';
import { Panel } from '../../src/catalogue/panel.entity';
import { JobRecord } from '../../src/jobs/job.entity';
import { OutboxMessage } from '../../src/mail/outbox.entity';
import { ReportVersion } from '../../src/reports/report-version.entity';
import { bearer, tokenFor } from '../support/auth';
import { createBigPanel } from '../support/big-panel';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { getRaw, sha256 } from '../support/pdf-http';
import { fillDraft } from '../support/reports';
import { protocolBody, submitProtocol } from '../support/protocols';
import { recipientsOf, startSmtp, TestSmtp } from '../support/smtp';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { startWorkerProcess, WorkerFleet } from '../support/worker-process';

const RECIPIENTS = ['resultados@norte.test', 'vet.a@norte.test'];

/**
 * The API runs here (role api: it only enqueues); the worker runs in a child process started from
 * source, so it can be killed for real in the middle of a job.
 */
describe('finalize survives a worker crash', () => {
  let t: TestApp;
  let f: Fixtures;
  let smtp: TestSmtp;
  let big: Panel;
  const fleet = new WorkerFleet(() => t.env);
  const workers = fleet.list;
  const tok = { signer: '', staff: '', vetA: '' };

  const worker = () => fleet.start();

  /** What the finalize request commits, without the enqueue that follows it (its API died in between). */
  const strand = async (reportId: string) => {
    const em = t.em();
    const version = await em.findOneOrFail(ReportVersion, { report: reportId, number: 1 });
    const job = em.create(JobRecord, {
      kind: JobKind.FinalizeReport,
      subjectType: 'report',
      subjectId: reportId,
      createdById: f.signer.id,
      payload: { reportId, versionId: version.id, version: 1 },
    });
    await em.flush();
    await em.nativeUpdate(ReportVersion, { id: version.id }, { status: ReportVersionStatus.Finalizing, finalizeJobId: job.id, signer: f.signer.id });
    return { version, job };
  };

  beforeAll(async () => {
    smtp = await startSmtp();
    // A short lock and stall check: a dead worker's job is taken over within seconds, not minutes.
    t = await createTestApp({ SMTP_URL: smtp.url, JOB_BACKOFF_MS: '100', JOB_LOCK_MS: '1500', JOB_STALLED_CHECK_MS: '500' }, 'api');
    f = await seedFixtures(t.em());
    [tok.signer, tok.staff, tok.vetA] = await Promise.all([f.signer, f.staff, f.vetA].map((u) => tokenFor(t, u)));
    // Enough rows for a render of many pages: long enough to be killed in the middle of it.
    big = await createBigPanel(t.em());
  }, 60_000);

  afterAll(async () => {
    await fleet.killAll();
    await t?.close();
    await smtp?.close();
  });

  const ready = async (panelIds: string[]) => {
    const protocol = await submitProtocol(t, tok.vetA, protocolBody(f, { panelIds }));
    await t.http().post(`/api/protocols/${protocol.id}/receive`).set(bearer(tok.staff)).send({}).expect(200);
    await t.http().post(`/api/protocols/${protocol.id}/start-analysis`).set(bearer(tok.staff)).send({}).expect(200);
    await fillDraft(t, tok.staff, protocol.reportId);
    return protocol;
  };
  const record = (id: string) => t.em().findOne(JobRecord, { id });
  const completed = (id: string) => waitUntil(async () => (await record(id))?.state === 'completed', { ms: 40_000, what: `job ${id} completed` });
  const mailsSent = (reportId: string) =>
    waitUntil(async () => (await t.em().find(OutboxMessage, { subjectId: reportId })).filter((m) => m.status === 'sent').length === RECIPIENTS.length, {
      ms: 20_000,
      what: 'mails sent',
    });

  it('a worker process gives the CPU to the API first: every thread of it runs at a nice value of WORKER_NICE or more', async () => {
    const w = await worker();
    // /proc/<pid>/task/<tid>/stat: the fields after the command's closing parenthesis start at field 3; nice is 19.
    const niceOf = (tid: string) => Number(readFileSync(`/proc/${w.child.pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16]);
    const threads = readdirSync(`/proc/${w.child.pid}/task`);
    // Its main thread, V8's helper threads (started by Node before the worker's code runs), libuv's pool (render threads come with its first render).
    expect(threads.length).toBeGreaterThan(4);
    expect(niceOf(String(w.child.pid))).toBe(10);
    expect(threads.map((tid) => ({ tid, nice: niceOf(tid) })).filter((t) => t.nice < 10)).toEqual([]);
    await w.stop();
  }, 60_000);

  it('a version left in finalizing without a Bull job (a crash between commit and enqueue) is picked up when a worker starts; the api role runs nothing itself', async () => {
    // What the finalize request commits, without the enqueue that follows it; no worker runs yet.
    const protocol = await ready([f.panels.cbc.id]);
    const { version, job } = await strand(protocol.reportId);

    // The api role only enqueues: a request accepted now waits for a worker too.
    const other = await ready([f.panels.cbc.id]);
    const { jobId } = (await t.http().post(`/api/reports/${other.reportId}/finalize`).set(bearer(tok.signer)).send().expect(202)).body as FinalizeAccepted;
    await new Promise((r) => setTimeout(r, 1000));
    expect((await record(jobId))?.state).toBe('queued');

    await worker();
    await Promise.all([completed(job.id), completed(jobId)]);
    expect((await t.em().findOneOrFail(ReportVersion, { id: version.id })).status).toBe('finalized');
    await mailsSent(protocol.reportId);
    expect((await getRaw(t, `/api/reports/${protocol.reportId}/pdf`, tok.vetA)).status).toBe(200);
  }, 60_000);

  it('a version stranded while a worker runs (its API died between commit and enqueue) is picked up by the periodic sweep', async () => {
    const w = startWorkerProcess({ ...t.env, JOB_STRANDED_SWEEP_MS: '300' });
    workers.push(w);
    await w.ready;
    const protocol = await ready([f.panels.cbc.id]);
    const { version, job } = await strand(protocol.reportId);
    await completed(job.id);
    expect((await t.em().findOneOrFail(ReportVersion, { id: version.id })).status).toBe('finalized');
    await w.stop();
  }, 60_000);

  it('a worker killed mid-render: the next worker completes the job with one PDF and one mail per recipient', async () => {
    const first = workers.at(-1) ?? (await worker());
    const protocol = await ready([f.panels.cbc.id, big.id]);
    const { jobId } = (await t.http().post(`/api/reports/${protocol.reportId}/finalize`).set(bearer(tok.signer)).send().expect(202)).body as FinalizeAccepted;

    await waitUntil(async () => (await record(jobId))?.stage === 'rendering', { every: 5, ms: 20_000, what: 'stage rendering' });
    await first.crash();
    const atCrash = await t.em().findOneOrFail(ReportVersion, { report: protocol.reportId, number: 1 });
    expect([atCrash.status, atCrash.pdfKey]).toEqual([ReportVersionStatus.Finalizing, null]);

    await worker();
    await completed(jobId);
    const v = await t.em().findOneOrFail(ReportVersion, { id: atCrash.id });
    expect([v.status, v.pdfKey]).toEqual(['finalized', `reports/${protocol.reportId}/v1.pdf`]);
    const pdf = await getRaw(t, `/api/reports/${protocol.reportId}/pdf`, tok.vetA);
    expect([pdf.status, pdf.headers.etag]).toEqual([200, `"${sha256(pdf.body)}"`]);
    expect(sha256(pdf.body)).toBe(v.pdfSha256);

    await mailsSent(protocol.reportId);
    await new Promise((r) => setTimeout(r, 500));
    const mails = smtp.mails.filter((m) => m.subject?.includes(protocol.code));
    expect(mails.flatMap(recipientsOf).sort()).toEqual(RECIPIENTS);
    expect(await t.em().count(JobRecord, { subjectId: protocol.reportId })).toBe(1);
  }, 60_000);

  it('a job whose workers are killed twice mid-render (Bull gives it up: stalled more than allowable limit) is run again by the sweeper: one PDF, one mail per recipient, never failed', async () => {
    for (const w of workers) await w.crash();
    const protocol = await ready([f.panels.cbc.id, big.id]);
    const { jobId } = (await t.http().post(`/api/reports/${protocol.reportId}/finalize`).set(bearer(tok.signer)).send().expect(202)).body as FinalizeAccepted;
    // A run of the job at its render, other than the runs before (a stall is no new attempt for
    // Bull: each run has a token of its own).
    const runs: string[] = [];
    const rendering = () =>
      waitUntil(async () => {
        const r = await record(jobId);
        if (r?.stage !== 'rendering' || !r.runToken || runs.includes(r.runToken)) return false;
        runs.push(r.runToken);
        return true;
      }, { every: 5, ms: 30_000, what: `run ${runs.length + 1} rendering` });

    // Killed mid-render: Bull hands the job to the next worker (its first stall)...
    const first = await worker();
    await rendering();
    await first.crash();
    const second = await worker();
    await rendering();
    // ...killed again: the next worker's stall check gives the job up without running it.
    await second.crash();

    await fleet.start({ JOB_STRANDED_SWEEP_MS: '300', JOB_STRANDED_GRACE_MS: '500' });
    const states: string[] = [];
    await waitUntil(
      async () => {
        const r = await record(jobId);
        const state = `${r?.state}: ${r?.failedReason ?? ''}`;
        if (states.at(-1) !== state) states.push(state);
        return r?.state === 'completed' ? r : null;
      },
      { every: 10, ms: 40_000, what: 'the job completed by the third worker' },
    );
    // Given up by Bull, held as retrying (a failure outside the job), then run again: never failed.
    expect(states).toContain('retrying: job stalled more than allowable limit');
    expect(states.filter((s) => s.startsWith('failed'))).toEqual([]);
    expect(runs).toHaveLength(2);

    const v = await t.em().findOneOrFail(ReportVersion, { report: protocol.reportId, number: 1 });
    expect([v.status, v.pdfKey]).toEqual(['finalized', `reports/${protocol.reportId}/v1.pdf`]);
    expect(sha256((await getRaw(t, `/api/reports/${protocol.reportId}/pdf`, tok.vetA)).body)).toBe(v.pdfSha256);
    await mailsSent(protocol.reportId);
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.mails.filter((m) => m.subject?.includes(protocol.code)).flatMap(recipientsOf).sort()).toEqual(RECIPIENTS);
    expect(await t.em().count(JobRecord, { subjectId: protocol.reportId })).toBe(1);
  }, 90_000);
});
