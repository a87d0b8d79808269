import { AuditAction, FinalizeAccepted, OpsStuckJob, ReportVersionStatus } from '@vetlab/shared';
import { statSync } from 'node:fs';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { Panel } from '../../src/catalogue/panel.entity';
import { JobRecord } from '../../src/jobs/job.entity';
import { OutboxMessage } from '../../src/mail/outbox.entity';
import { ReportVersion } from '../../src/reports/report-version.entity';
import { LocalFileStorage } from '../../src/storage/local-file-storage';
import { bearer, tokenFor } from '../support/auth';
import { createBigPanel } from '../support/big-panel';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { protocolBody, submitProtocol } from '../support/protocols';
import { fillDraft } from '../support/reports';
import { recipientsOf, startSmtp, TestSmtp } from '../support/smtp';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { freezeWorker, WorkerFleet } from '../support/worker-process';

const RECIPIENTS = ['resultados@norte.test', 'vet.a@norte.test'];

/**
 * A job whose worker hangs (SIGSTOP) while it holds the job's lock: the console shows it as active
 * too long, an admin hands it back, another worker completes it once, and the thawed run writes
 * nothing (fenced by its run token). The API runs here (role api); workers are child processes.
 */
describe('ops: a hung job handed back', () => {
  let t: TestApp;
  let f: Fixtures;
  let smtp: TestSmtp;
  let big: Panel;
  const fleet = new WorkerFleet(() => t.env);
  const tok = { admin: '', signer: '', staff: '', vetA: '' };

  const worker = () => fleet.start();

  beforeAll(async () => {
    smtp = await startSmtp();
    // A long lock: Bull's own stall check must not take the job from the hung worker first (that is
    // the case where nobody has to act). Any active job is past a 1 ms limit while a kind has too few runs.
    t = await createTestApp({ SMTP_URL: smtp.url, JOB_LOCK_MS: '120000', JOB_STALLED_CHECK_MS: '60000', OPS_STUCK_MIN_MS: '1', WORK_ORDER_PDF_PRERENDER: 'false' }, 'api');
    f = await seedFixtures(t.em());
    [tok.admin, tok.signer, tok.staff, tok.vetA] = await Promise.all([f.admin, f.signer, f.staff, f.vetA].map((u) => tokenFor(t, u)));
    big = await createBigPanel(t.em());
  }, 60_000);

  afterAll(async () => {
    await fleet.killAll();
    await t?.close();
    await smtp?.close();
  });

  const record = (id: string) => t.em().findOneOrFail(JobRecord, { id });
  const stuck = async () => (await t.http().get('/api/ops/stuck').set(bearer(tok.admin)).expect(200)).body as OpsStuckJob[];

  it('shows as too_long, is handed back, completes once on another worker; the thawed run writes nothing', async () => {
    const first = await worker();
    const protocol = await submitProtocol(t, tok.vetA, protocolBody(f, { panelIds: [f.panels.cbc.id, big.id] }));
    await t.http().post(`/api/protocols/${protocol.id}/receive`).set(bearer(tok.staff)).send({}).expect(200);
    await t.http().post(`/api/protocols/${protocol.id}/start-analysis`).set(bearer(tok.staff)).send({}).expect(200);
    await fillDraft(t, tok.staff, protocol.reportId);
    const { jobId } = (await t.http().post(`/api/reports/${protocol.reportId}/finalize`).set(bearer(tok.signer)).send().expect(202)).body as FinalizeAccepted;

    await waitUntil(async () => (await record(jobId)).stage === 'rendering', { every: 5, ms: 30_000, what: 'stage rendering' });
    await freezeWorker(first);

    const found = await waitUntil(async () => (await stuck()).find((s) => s.job.id === jobId), { what: 'the hung job listed as stuck' });
    expect(found).toMatchObject({ reason: 'too_long', limitMs: 1, job: { state: 'active', bullState: 'active', actions: ['hand_back'], stage: 'rendering' } });
    expect(found.job.stages.map((s) => s.stage)).toEqual(['loading', 'rendering']);
    expect(found.job.stages.at(-1)!.ms).toBeNull();

    await t.http().post(`/api/ops/jobs/${jobId}/hand-back`).set(bearer(tok.signer)).expect(403);
    await t.http().post(`/api/ops/jobs/${jobId}/hand-back`).set(bearer(tok.vetA)).expect(404);
    const handed = await t.http().post(`/api/ops/jobs/${jobId}/hand-back`).set(bearer(tok.admin)).expect(200);
    expect(handed.body).toMatchObject({ state: 'retrying', bullState: 'waiting' });
    // A second click: Bull holds it to run now; nothing more is added.
    expect((await t.http().post(`/api/ops/jobs/${jobId}/hand-back`).set(bearer(tok.admin)).expect(409)).body.code).toBe('JOB_NOT_STUCK');
    const [audit] = await t.em().find(AuditLog, { entity: 'job', entityId: jobId, action: AuditAction.JobHandBack });
    expect(audit).toMatchObject({ actorId: f.admin.id, after: { decision: 'replace' } });

    await worker();
    await waitUntil(async () => (await record(jobId)).state === 'completed', { ms: 60_000, what: 'the job completed by the second worker' });
    await smtp.waitForCount(RECIPIENTS.length, 20_000);
    const v = await t.em().findOneOrFail(ReportVersion, { report: protocol.reportId, number: 1 });
    expect(v.status).toBe(ReportVersionStatus.Finalized);
    const path = LocalFileStorage.forConfig(t.config).pathOf(v.pdfKey!);
    const before = { stat: statSync(path), record: await record(jobId) };

    // Thawed: its render finishes, it finds a newer run's token on the version and stops.
    first.child.kill('SIGCONT');
    await waitUntil(() => first.output().includes(`job ${jobId} (finalize_report) attempt 1 stopped without writing`), { ms: 60_000, what: 'the stale run stopping' }).catch((e: Error) => {
      throw new Error(`${e.message}; the thawed worker said:\n${first.output().slice(-4000)}`);
    });
    await new Promise((r) => setTimeout(r, 500));

    const after = statSync(path);
    expect([after.ino, after.mtimeMs, after.size]).toEqual([before.stat.ino, before.stat.mtimeMs, before.stat.size]);
    expect(await t.em().findOneOrFail(ReportVersion, { id: v.id })).toMatchObject({ status: 'finalized', pdfSha256: v.pdfSha256, verificationCode: v.verificationCode });
    expect(await record(jobId)).toMatchObject({ state: 'completed', attempts: before.record.attempts });
    expect(await t.em().count(JobRecord, { subjectId: protocol.reportId })).toBe(1);
    expect(await t.em().count(OutboxMessage, { subjectId: protocol.reportId })).toBe(RECIPIENTS.length);
    expect(smtp.mails.filter((m) => m.subject?.includes(protocol.code)).flatMap(recipientsOf).sort()).toEqual(RECIPIENTS);
    expect((await stuck()).map((s) => s.job.id)).not.toContain(jobId);
  }, 180_000);
});
