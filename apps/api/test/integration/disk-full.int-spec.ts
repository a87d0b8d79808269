import { ErrorBody, FinalizeAccepted, LoginResponse, HealthView, JobView, OpsOverview, ReportView, UnavailableCode } from '@vetlab/shared';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { acquireMigrationLock, migrationLockFile } from '../../src/database/migration-lock';
import { JobRecord } from '../../src/jobs/job.entity';
import { OutboxMessage } from '../../src/mail/outbox.entity';
import { encodePngRgb } from '../../src/seed/signature-png';
import { bearer, cookieHeader, refreshCookie, tokenFor } from '../support/auth';
import { Fixtures, PASSWORD, seedFixtures } from '../support/fixtures';
// The small disk the browser test fills too (tools/, in no Nx project).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { DiskFiller, mountSmallDisk, SmallDisk } from '../../../../tools/testing/small-disk';
import { smallTablespace, SmallTablespace } from '../support/pg-tablespace';
import { protocolBody, submitProtocol } from '../support/protocols';
import { readyReport } from '../support/reports';
import { recipientsOf, startSmtp, TestSmtp } from '../support/smtp';
import { createTestEnv, startTestApp, TestApp } from '../support/test-app';
import { testDriver } from '../support/services';
import { waitUntil } from '../support/wait';
import { WorkerFleet } from '../support/worker-process';

jest.setTimeout(120_000);

/**
 * Two attempts a job, 50 ms apart, and a sweep every 300 ms that takes up a job Bull gave up on after
 * 500 ms: a job that failed for good on a full disk would be failed within a second.
 */
const JOBS_ENV = { JOB_ATTEMPTS: '2', JOB_BACKOFF_MS: '50', JOB_BOOKKEEPING_RETRY_MS: '300', JOB_STRANDED_SWEEP_MS: '300', JOB_STRANDED_GRACE_MS: '500', OPS_HEARTBEAT_MS: '300', OPS_OVERVIEW_CACHE_MS: '0' };

/**
 * The data folder on a disk of its own (a 48 MiB tmpfs: the embedded database, the stored PDFs and
 * signatures) that the test fills to the last byte, as a lab's disk fills with ten years of PDFs.
 */
describe('a full data disk', () => {
  let disk: SmallDisk;
  let filler: DiskFiller | null = null;
  let t: TestApp;
  let f: Fixtures;
  let smtp: TestSmtp;
  let fleet: WorkerFleet;
  const tok = { admin: '', staff: '', signer: '', vetA: '' };

  beforeAll(async () => {
    disk = mountSmallDisk(48);
    smtp = await startSmtp();
    // The API role only: the worker that meets the full disk is started by the test, as a process.
    t = await startTestApp(await createTestEnv({ SMTP_URL: smtp.url, DISK_LOW_FREE_MB: '4', ...JOBS_ENV }, 'api', { dataDir: disk.dir }));
    f = await seedFixtures(t.em());
    [tok.admin, tok.staff, tok.signer, tok.vetA] = await Promise.all([f.admin, f.staff, f.signer, f.vetA].map((u) => tokenFor(t, u)));
    fleet = new WorkerFleet(() => t.env);
  });
  afterAll(async () => {
    filler?.free();
    await fleet?.killAll();
    await t?.close();
    await smtp?.close();
    disk?.unmount();
  });
  afterEach(() => {
    filler?.free();
    filler = null;
  });

  /** Fills the disk; the embedded database's log emptied first, so its next write needs room (see SmallDisk.fill). */
  const fill = () => disk.fill({ sqlite: t.config.database.driver === 'sqlite' ? t.config.database.path : undefined });

  const signature = encodePngRgb(300, 100, Buffer.alloc(300 * 100 * 3, 0x40));
  const upload = () => t.http().put(`/api/users/${f.signer.id}/signature`).set(bearer(tok.admin)).set('Content-Type', 'image/png').send(signature);
  const health = async () => (await t.http().get('/api/health').expect(200)).body as HealthView;

  it('a write answers 503 DISK_FULL within a second, saying so, while reading works; health says the disk is low; the same write works once there is room', async () => {
    const protocol = await submitProtocol(t, tok.vetA, protocolBody(f));
    expect((await health()).disk).toMatchObject({ low: false });
    filler = fill();

    // A stored file (a signature) finds no room, on either database.
    const started = Date.now();
    const refused = await upload();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.body as ErrorBody).toMatchObject({ code: UnavailableCode.DiskFull, message: expect.stringContaining("the server's disk is full") });

    // A database write: the embedded database is on this disk; PostgreSQL's disk is its own.
    const receive = () => t.http().post(`/api/protocols/${protocol.id}/receive`).set(bearer(tok.staff)).send({});
    const received = await receive();
    if (testDriver() === 'sqlite') expect([received.status, (received.body as ErrorBody).code]).toEqual([503, UnavailableCode.DiskFull]);
    else expect(received.status).toBe(200);

    // Reading needs no room.
    await t.http().get(`/api/protocols/${protocol.id}`).set(bearer(tok.vetA)).expect(200);
    await t.http().get('/api/protocols').set(bearer(tok.admin)).expect(200);
    expect(await health()).toMatchObject({ status: 'ok', disk: { low: true, freeBytes: expect.any(Number) } });

    filler.free();
    filler = null;
    await upload().expect(200);
    if (testDriver() === 'sqlite') await receive().expect(200);
    expect((await health()).disk).toMatchObject({ low: false });
  });

  it('a session outlives the full disk: the refresh answers 503 and keeps its cookie (SQLite), and the same cookie refreshes once there is room', async () => {
    const login = await t.http().post('/api/auth/login').send({ email: f.staff.email, password: PASSWORD }).expect(200);
    let cookie = refreshCookie(login)!.value;
    const refresh = () => t.http().post('/api/auth/refresh').set('Cookie', cookieHeader(cookie));
    filler = fill();
    const during = await refresh();
    if (testDriver() === 'sqlite') {
      // Rotating the token is a write: refused, and the token is neither burnt nor dropped.
      expect([during.status, (during.body as ErrorBody).code]).toEqual([503, UnavailableCode.DiskFull]);
      expect(refreshCookie(during)).toBeNull();
    } else {
      expect(during.status).toBe(200);
      cookie = refreshCookie(during)!.value;
    }
    filler.free();
    filler = null;
    const after = await refresh().expect(200);
    expect((after.body as LoginResponse).user.email).toBe(f.staff.email);
  });

  it('the SQLite migration lock on a full disk fails without leaving its file behind, and is taken at once when there is room', async () => {
    const database = { driver: 'sqlite' as const, path: join(disk.dir, 'lock-probe.sqlite') };
    filler = fill();
    await expect(acquireMigrationLock(database, 1000)).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(existsSync(migrationLockFile(database.path))).toBe(false);
    filler.free();
    filler = null;
    const started = Date.now();
    const lock = await acquireMigrationLock(database, 5000);
    expect(Date.now() - started).toBeLessThan(1000);
    await lock.release();
  });

  it('a finalize whose worker meets the full disk waits, and finishes by itself once there is room: one PDF, one mail each, one audit entry', async () => {
    const { protocol, reportId } = await readyReport(t, f, { vet: tok.vetA, staff: tok.staff });
    const { jobId } = (await t.http().post(`/api/reports/${reportId}/finalize`).set(bearer(tok.signer)).send().expect(202)).body as FinalizeAccepted;
    filler = fill();

    // A worker starts on the full disk (nothing to migrate: it takes no lock file), and its console
    // entry says the disk is low.
    const w = await fleet.start();
    const lowWorker = await waitUntil(
      async () => ((await t.http().get('/api/ops/overview').set(bearer(tok.admin)).expect(200)).body as OpsOverview).workers.find((w) => w.disk?.low),
      { what: 'a worker reporting its disk low' },
    );
    expect(lowWorker.disk?.freeBytes).toBeLessThan(4 * 2 ** 20);

    // Three times the job's two attempts (each round of them taken up again by the sweep): it is never
    // failed. The worker's log says why each try stopped. On PostgreSQL (room for the record, none for
    // the PDF) the job itself says so too; on SQLite its record cannot be written either, and stays
    // as it was.
    const record = () => t.em().findOneOrFail(JobRecord, { id: jobId });
    const tries = () => w.output().split('\n').filter((l) => l.includes(`job ${jobId}`) && /no space left on device|database or disk is full/i.test(l)).length;
    await waitUntil(
      async () => {
        expect((await record()).state).not.toBe('failed');
        return tries() >= 6;
      },
      { ms: 30_000, what: 'six tries of the job' },
    );
    const waiting = (await t.http().get(`/api/jobs/${jobId}`).set(bearer(tok.signer)).expect(200)).body as JobView;
    if (testDriver() === 'postgresql') {
      expect(waiting).toMatchObject({ state: expect.stringMatching(/^(retrying|active|queued)$/), waitingFor: UnavailableCode.DiskFull });
      expect(waiting.failedReason).toMatch(/no space left on device/i);
    } else {
      expect(waiting).toMatchObject({ state: 'queued', attempts: 0, waitingFor: null });
    }
    const during = (await t.http().get(`/api/reports/${reportId}`).set(bearer(tok.signer)).expect(200)).body as ReportView;
    expect(during.versions[0].status).toBe('finalizing');
    expect(smtp.mails.filter((m) => m.subject?.includes(protocol.code))).toEqual([]);

    filler.free();
    filler = null;
    await waitUntil(async () => (await record()).state === 'completed', { ms: 30_000, what: 'the job completed once there was room' });
    expect(((await t.http().get(`/api/jobs/${jobId}`).set(bearer(tok.signer)).expect(200)).body as JobView).waitingFor).toBeNull();
    const after = (await t.http().get(`/api/reports/${reportId}`).set(bearer(tok.signer)).expect(200)).body as ReportView;
    expect(after.versions.map((v) => [v.number, v.status])).toEqual([[1, 'finalized']]);
    // One PDF on the disk: no second copy of an attempt that found no room.
    expect(readdirSync(`${disk.dir}/files/reports/${reportId}`)).toEqual(['v1.pdf']);
    await t.http().get(`/api/reports/${reportId}/pdf`).set(bearer(tok.vetA)).expect(200);

    const recipients = (await t.em().find(OutboxMessage, { subjectId: reportId })).map((m) => m.recipient).sort();
    await waitUntil(async () => (await t.em().find(OutboxMessage, { subjectId: reportId, status: 'sent' })).length === recipients.length, { what: 'every mail sent' });
    await new Promise((r) => setTimeout(r, 500));
    const arrived = smtp.mails.filter((m) => m.subject?.includes(protocol.code)).flatMap(recipientsOf);
    expect(arrived.sort()).toEqual(recipients);
    // The job's audit entries (the version's and the protocol's status changes), each once.
    const entries = (await t.em().find(AuditLog, { jobId })).map((e) => JSON.stringify([e.entity, e.entityId, e.action, e.after]));
    expect(entries.length).toBeGreaterThan(0);
    expect(new Set(entries).size).toBe(entries.length);
    expect(await t.em().count(JobRecord, { subjectId: reportId })).toBe(1);
  });
});

/**
 * The disk the database itself lives on fills: on SQLite that is the data folder's (its file is
 * there); on PostgreSQL the database is made in a tablespace on a small disk of its own, so the
 * server meets the full disk itself and says so its way (SQLSTATE 53100, "could not extend file
 * …: No space left on device"), which vetlab must tell from any other database error.
 */
describe("the database's own disk full", () => {
  let disk: SmallDisk;
  let tablespace: SmallTablespace | undefined;
  let filler: DiskFiller | null = null;
  let t: TestApp;
  let f: Fixtures;
  let vetA = '';

  beforeAll(async () => {
    if (testDriver() === 'postgresql') {
      tablespace = await smallTablespace(32);
      disk = tablespace.disk;
      t = await startTestApp(await createTestEnv({}, 'api', { pgTablespace: tablespace.name }));
    } else {
      disk = mountSmallDisk(48);
      t = await startTestApp(await createTestEnv({}, 'api', { dataDir: disk.dir }));
    }
    f = await seedFixtures(t.em());
    vetA = await tokenFor(t, f.vetA);
  });
  afterAll(async () => {
    filler?.free();
    await t?.close();
    if (tablespace) await tablespace.drop();
    else disk?.unmount();
  });

  it('writes go on until one needs room: that one answers 503 DISK_FULL within a second, never a 500; reading works; the same write works once there is room', async () => {
    const intake = () => t.http().post('/api/protocols').set(bearer(vetA)).send(protocolBody(f));
    await intake().expect(201);
    filler = disk.fill({ sqlite: t.config.database.driver === 'sqlite' ? t.config.database.path : undefined });

    // PostgreSQL still fits a row in a page it has; the first write that needs a new page is refused.
    let refused: { status: number; body: ErrorBody; retryAfter: string | undefined; ms: number } | undefined;
    let accepted = 0;
    for (let i = 0; i < 500 && !refused; i++) {
      const started = Date.now();
      const res = await intake();
      if (res.status === 201) accepted++;
      else refused = { status: res.status, body: res.body as ErrorBody, retryAfter: res.headers['retry-after'], ms: Date.now() - started };
    }
    if (testDriver() === 'sqlite') expect(accepted).toBe(0);
    expect(refused).toMatchObject({ status: 503, retryAfter: '60', body: { code: UnavailableCode.DiskFull } });
    expect(refused!.ms).toBeLessThan(1000);

    await t.http().get('/api/protocols').set(bearer(vetA)).expect(200);
    expect((await t.http().get('/api/health').expect(200)).body as HealthView).toMatchObject({ status: 'ok' });

    filler.free();
    filler = null;
    await intake().expect(201);
  });
});
