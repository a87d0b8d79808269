import { FinalizeAccepted, JobKind, JobState } from '@vetlab/shared';
import { request as httpRequest } from 'node:http';
import { Panel } from '../../src/catalogue/panel.entity';
import { JobQueues } from '../../src/jobs/job-queues.service';
import { JobRecord } from '../../src/jobs/job.entity';
import { OutboxMessage } from '../../src/mail/outbox.entity';
import { ReportVersion } from '../../src/reports/report-version.entity';
import { bearer, tokenFor } from '../support/auth';
import { createBigPanel } from '../support/big-panel';
import { Fixtures, PASSWORD, seedFixtures } from '../support/fixtures';
import { getRaw, sha256 } from '../support/pdf-http';
import { protocolBody, submitProtocol } from '../support/protocols';
import { fillDraft } from '../support/reports';
import { recipientsOf, startSmtp, TestSmtp } from '../support/smtp';
import { disconnected, nextEvent, SocketPool } from '../support/socket';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { AppProcess, startApiProcess, startWorkerProcess } from '../support/worker-process';

const RECIPIENTS = ['resultados@norte.test', 'vet.a@norte.test'];

/**
 * SIGTERM, as a deploy sends it, to real processes started from source: a worker in the middle of
 * a 20-page render, and an API process with a request in flight and a socket open.
 */
describe('graceful shutdown', () => {
  let t: TestApp;
  let f: Fixtures;
  let smtp: TestSmtp;
  let big: Panel;
  const procs: AppProcess[] = [];
  const sockets = new SocketPool();
  const tok = { signer: '', staff: '', vetA: '' };

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await createTestApp({ SMTP_URL: smtp.url, JOB_BACKOFF_MS: '100', JOB_LOCK_MS: '1500', JOB_STALLED_CHECK_MS: '500' }, 'api');
    f = await seedFixtures(t.em());
    [tok.signer, tok.staff, tok.vetA] = await Promise.all([f.signer, f.staff, f.vetA].map((u) => tokenFor(t, u)));
    big = await createBigPanel(t.em());
  }, 60_000);

  afterAll(async () => {
    sockets.closeAll();
    await Promise.all(procs.map((p) => p.crash()));
    await t?.close();
    await smtp?.close();
  });

  const worker = async (env: Record<string, string> = {}) => {
    const w = startWorkerProcess({ ...t.env, ...env });
    procs.push(w);
    await w.ready;
    return w;
  };
  const record = (id: string) => t.em().findOne(JobRecord, { id });

  /** A finalize of a 20-page report, once its render is under way. */
  const finalizeBig = async () => {
    const protocol = await submitProtocol(t, tok.vetA, protocolBody(f, { panelIds: [f.panels.cbc.id, big.id] }));
    await t.http().post(`/api/protocols/${protocol.id}/receive`).set(bearer(tok.staff)).send({}).expect(200);
    await t.http().post(`/api/protocols/${protocol.id}/start-analysis`).set(bearer(tok.staff)).send({}).expect(200);
    await fillDraft(t, tok.staff, protocol.reportId);
    const { jobId } = (await t.http().post(`/api/reports/${protocol.reportId}/finalize`).set(bearer(tok.signer)).send().expect(202)).body as FinalizeAccepted;
    await waitUntil(async () => (await record(jobId))?.stage === 'rendering', { every: 5, ms: 30_000, what: 'stage rendering' });
    return { protocol, jobId };
  };

  /** One stored PDF that the route serves, the database describes and each recipient got once. */
  const deliveredOnce = async (reportId: string, code: string) => {
    await waitUntil(async () => (await t.em().find(OutboxMessage, { subjectId: reportId, status: 'sent' })).length === RECIPIENTS.length, { ms: 30_000, what: 'mails sent' });
    await new Promise((r) => setTimeout(r, 500));
    const v = await t.em().findOneOrFail(ReportVersion, { report: reportId, number: 1 });
    const pdf = await getRaw(t, `/api/reports/${reportId}/pdf`, tok.vetA);
    expect([v.status, pdf.status, sha256(pdf.body)]).toEqual(['finalized', 200, v.pdfSha256]);
    const mails = smtp.mails.filter((m) => m.subject?.includes(code));
    expect(mails.flatMap(recipientsOf).sort()).toEqual(RECIPIENTS);
    for (const m of mails) expect(sha256(m.attachments[0].content)).toBe(v.pdfSha256);
  };

  /** The log lines of the shutdown, in the order they were printed. */
  const steps = (w: AppProcess) =>
    ['jobs:', 'render pool closed', 'database closed', 'redis closed'].map((s) => w.output().indexOf(s));

  it('a worker told to stop mid-render finishes the job within the grace, then closes the render pool, the database and Redis in that order', async () => {
    const w = await worker();
    const { protocol, jobId } = await finalizeBig();
    w.child.kill('SIGTERM');
    expect(await w.exited).toEqual({ code: 0, signal: null });
    // Its finalize, and any work-order pre-render that was running beside it.
    expect(w.output()).toMatch(/jobs: [1-9]\d* finished, 0 handed back/);
    const order = steps(w);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);

    const rec = await record(jobId);
    expect([rec?.state, rec?.attempts]).toEqual([JobState.Completed, 1]);
    await worker(); // sends the mails the stopped worker queued
    await deliveredOnce(protocol.reportId, protocol.code);
  }, 90_000);

  it('a job still running when the grace ends is handed back without using an attempt, and another worker completes it once', async () => {
    const w = await worker({ SHUTDOWN_GRACE_MS: '200' });
    for (const p of procs.slice(0, -1)) await p.stop(); // only the short-grace worker runs
    const { protocol, jobId } = await finalizeBig();
    w.child.kill('SIGTERM');
    expect(await w.exited).toEqual({ code: 0, signal: null });
    expect(w.output()).toContain(`job ${jobId} (finalize) handed back to its queue`);

    // Back in the queue, its attempt not counted, its record not failed.
    const job = await t.app.get(JobQueues).of(JobKind.FinalizeReport).getJob(jobId);
    expect(job?.attemptsMade).toBe(0);
    expect(['delayed', 'waiting']).toContain(await job?.getState());
    expect((await record(jobId))?.state).not.toBe(JobState.Failed);

    await worker();
    await waitUntil(async () => (await record(jobId))?.state === JobState.Completed, { ms: 60_000, what: `job ${jobId} completed` });
    expect((await record(jobId))?.attempts).toBe(1);
    await deliveredOnce(protocol.reportId, protocol.code);
  }, 120_000);

  it('an API process told to stop tells its sockets it is restarting, finishes the request in flight, then refuses new connections', async () => {
    const api = await startApiProcess(t.env);
    procs.push(api);
    await api.ready;
    const socket = await sockets.connect(api, tok.staff);
    const restarting = nextEvent(socket, 'server:restarting', 10_000);
    const closed = disconnected(socket, 10_000);

    // A login whose body is still arriving when the signal comes.
    const body = JSON.stringify({ email: f.staff.email, password: PASSWORD });
    const { port } = new URL(api.url);
    const answered = new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/api/auth/login', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => req.end(body.slice(10)), 800);
    });
    await new Promise((r) => setTimeout(r, 200));
    api.child.kill('SIGTERM');

    expect(await restarting).toEqual({ reason: 'shutdown' });
    expect(await closed).toBe('transport close');
    expect(await answered).toBe(200);
    expect(await api.exited).toEqual({ code: 0, signal: null });
    expect(api.output()).toContain('in-flight requests finished');
    await expect(fetch(`${api.url}/api/health`)).rejects.toThrow();
  }, 90_000);
});
