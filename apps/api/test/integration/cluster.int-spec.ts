import { BulkAccepted, FinalizeAccepted, WorkOrderPdfAccepted } from '@vetlab/shared';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
// The very cluster `npm run cluster` starts (tools/, in no Nx project) is what this test proves.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { Cluster, ClusterProcess, startCluster } from '../../../../tools/cluster/cluster';
import { BulkItem } from '../../src/bulk/bulk-item.entity';
import { JobRecord } from '../../src/jobs/job.entity';
import { OutboxMessage } from '../../src/mail/outbox.entity';
import { Protocol } from '../../src/protocols/protocol.entity';
import { ReportVersion } from '../../src/reports/report-version.entity';
import { WorkOrderPdf } from '../../src/work-orders/pdf/work-order-pdf.entity';
import { bearer, tokenFor } from '../support/auth';
import { createBigPanel } from '../support/big-panel';
import { insertProtocols, runOver } from '../support/bulk';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { sha256 } from '../support/pdf-http';
import { protocolBody, submitProtocol } from '../support/protocols';
import { fillDraft, readyReport } from '../support/reports';
import { TEST_REDIS_URL, testDriver } from '../support/services';
import { nextEvent, SocketPool } from '../support/socket';
import { recipientsOf, startSmtp, TestSmtp } from '../support/smtp';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

const ROOT = join(__dirname, '../../../..');

/** A request to one address (nginx or one API process directly): status, headers and body bytes. */
async function call(base: string, method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => (headers[name] = value));
  return { status: res.status, headers, body: bytes, json: <T>() => JSON.parse(bytes.toString('utf8')) as T };
}

/** CPU time (user + system, in clock ticks) a process has used: the busy worker is the one holding the job. */
const cpuTicks = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
};
async function busiest(workers: ClusterProcess[]): Promise<ClusterProcess> {
  const before = workers.map((w) => cpuTicks(w.pid()!));
  await new Promise((r) => setTimeout(r, 400));
  const used = workers.map((w, i) => cpuTicks(w.pid()!) - before[i]);
  return workers[used.indexOf(Math.max(...used))];
}

const filesUnder = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesUnder(join(dir, d.name)) : [join(dir, d.name)])) : [];

/**
 * The cluster of `npm run cluster` (tools/cluster/cluster.ts): 2 API and 2 worker processes from
 * source, nginx (deploy/nginx.conf) in front, one PostgreSQL database and one Redis prefix. The
 * test's own API-role app writes the fixtures and reads the database; every proof goes through
 * nginx, or through one API process directly where the test pins a client to it.
 */
const supported = testDriver() === 'postgresql';
(supported ? describe : describe.skip)(
  supported ? 'a cluster behind nginx' : 'a cluster behind nginx (skipped on SQLite: a SQLite file is one machine\'s, a SQLite cluster is not a supported shape; runs with --db=postgresql)',
  () => {
    let t: TestApp;
    let f: Fixtures;
    let smtp: TestSmtp;
    let cluster: Cluster;
    const sockets = new SocketPool();
    const tok = { vetA: '', staff: '', signer: '', admin: '' };

    beforeAll(async () => {
      smtp = await startSmtp();
      // Short locks: a killed worker's job is taken over within seconds. No pre-render: opens are cold.
      const env = { SMTP_URL: smtp.url, JOB_BACKOFF_MS: '100', JOB_LOCK_MS: '1500', JOB_STALLED_CHECK_MS: '500', BULK_CHUNK_SIZE: '10', WORK_ORDER_PDF_PRERENDER: 'false' };
      t = await createTestApp(env, 'api');
      f = await seedFixtures(t.em());
      [tok.vetA, tok.staff, tok.signer, tok.admin] = await Promise.all([f.vetA, f.staff, f.signer, f.admin].map((u) => tokenFor(t, u)));
      const { DATABASE_URL, REDIS_URL, ...shared } = t.env;
      cluster = await startCluster({
        root: ROOT,
        databaseUrl: DATABASE_URL,
        redisUrl: REDIS_URL ?? TEST_REDIS_URL,
        dataDir: join(t.env.DATA_DIR, 'cluster'),
        entry: 'source',
        storage: 'local',
        // The test app's DATA_DIR: the same files as the cluster's processes (one machine, one folder).
        env: { ...shared, LOG_LEVEL: 'log' },
        log: () => undefined,
      });
    }, 120_000);

    afterAll(async () => {
      sockets.closeAll();
      await cluster?.stop();
      await t?.close();
      await smtp?.close();
    }, 60_000);

    const outputs = () => [...cluster.apis, ...cluster.workers, cluster.nginx].map((p) => `--- ${p.name}\n${p.output().slice(-1500)}`).join('\n');

    it('serves the API through nginx on one port', async () => {
      const health = await call(cluster.url, 'GET', '/api/health', tok.admin);
      expect(health.status).toBe(200);
      expect(health.json()).toMatchObject({ role: 'api', database: { ok: true, driver: 'postgresql' } });
    });

    it('a vet connected to API process A gets report:ready for a finalize a signer sent to process B', async () => {
      const [a, b] = cluster.apis;
      const socket = await sockets.connect({ url: a.url }, tok.vetA);
      const { protocol, reportId } = await readyReport(t, f, { vet: tok.vetA, staff: tok.staff });
      const ready = nextEvent(socket, 'report:ready', 40_000);
      const res = await call(b.url, 'POST', `/api/reports/${reportId}/finalize`, tok.signer);
      expect(res.status).toBe(202);
      expect(await ready.catch((e) => Promise.reject(new Error(`${e.message}\n${outputs()}`)))).toEqual({ reportId, version: 1, protocolId: protocol.id });
      const pdf = await call(cluster.url, 'GET', `/api/reports/${reportId}/pdf`, tok.vetA);
      expect([pdf.status, pdf.headers['content-type']]).toEqual([200, 'application/pdf']);
    }, 60_000);

    it('twenty concurrent cold opens of one work order, spread over both API processes, give one render', async () => {
      const p = await submitProtocol(t, tok.vetA, protocolBody(f, { panelIds: [f.panels.cbc.id, f.panels.chem.id] }));
      // Six pinned to each process, the rest through nginx's round robin.
      const bases = Array.from({ length: 20 }, (_, i) => (i < 6 ? cluster.apis[i % 2].url : cluster.url));
      const answers = await Promise.all(bases.map((base) => call(base, 'GET', `/api/work-orders/${p.workOrderId}/pdf`, tok.vetA)));
      expect(answers.every((a) => a.status === 202 || a.status === 200)).toBe(true);
      const jobIds = new Set(answers.filter((a) => a.status === 202).map((a) => a.json<WorkOrderPdfAccepted>().jobId));
      expect(jobIds.size).toBe(1);

      const hit = await waitUntil(
        async () => {
          const r = await call(cluster.url, 'GET', `/api/work-orders/${p.workOrderId}/pdf`, tok.vetA);
          return r.status === 200 ? r : null;
        },
        { ms: 30_000, every: 100, what: 'the work-order PDF' },
      );
      expect(hit.headers.etag).toBe(`"${sha256(hit.body)}"`);
      const jobs = await t.em().find(JobRecord, { subjectId: p.workOrderId });
      expect(jobs.map((j) => [j.state, j.attempts])).toEqual([['completed', 1]]);
      expect(await t.em().count(WorkOrderPdf, { workOrder: p.workOrderId })).toBe(1);
      // One object written to the shared storage for it.
      expect(filesUnder(join(t.env.DATA_DIR, 'files')).filter((file) => file.includes(p.workOrderId))).toHaveLength(1);
    }, 60_000);

    it('a bulk run of 1,000 items through nginx survives the worker running it killed with SIGKILL: every item once, one audit entry each', async () => {
      const total = 1000;
      const ids = await insertProtocols(t, total, { clinics: [f.clinicA, f.clinicB], createdBy: f.vetA });
      smtp.mails.length = 0;
      const res = await call(cluster.url, 'POST', '/api/protocols/bulk', tok.admin, { action: 'receive', ids });
      expect(res.status).toBe(202);
      const { bulkId, jobId } = res.json<BulkAccepted>();
      const done = () => t.em().count(BulkItem, { runId: bulkId, status: { $ne: 'pending' } });
      await waitUntil(async () => (await done()) >= 100, { every: 5, ms: 30_000, what: '100 items processed' });
      const victim = await busiest(cluster.workers);
      await victim.crash();
      expect(await done()).toBeLessThan(total);

      const run = await runOver(t, bulkId, 60_000);
      expect([run.state, run.succeeded, run.failed, run.skipped]).toEqual(['completed', total, 0, 0]);
      const em = t.em();
      const conn = em.getConnection();
      expect(Number((await conn.execute(`select count(*) as n from audit_log where job_id = ?`, [jobId]))[0].n)).toBe(total);
      expect(await conn.execute(`select entity_id from audit_log where job_id = ? group by entity_id having count(*) > 1`, [jobId])).toEqual([]);
      expect(await em.count(Protocol, { id: { $in: ids }, status: 'received', version: 2 })).toBe(total);
      expect(await em.count(BulkItem, { runId: bulkId, attempts: 1 })).toBe(total);
      await smtp.waitForCount(2, 20_000);
      expect(smtp.to('resultados@norte.test')).toHaveLength(1);
      expect(smtp.to('resultados@sur.test')).toHaveLength(1);

      await victim.start();
    }, 90_000);

    it('one API and the rendering worker killed with SIGKILL during a finalize: one PDF version, each mail once, each audit entry once; both come back', async () => {
      const big = await createBigPanel(t.em());
      const protocol = await submitProtocol(t, tok.vetA, protocolBody(f, { panelIds: [f.panels.cbc.id, big.id] }));
      // A report of many pages: a render long enough to kill its worker in the middle of.
      await t.http().post(`/api/protocols/${protocol.id}/receive`).set(bearer(tok.staff)).send({}).expect(200);
      await t.http().post(`/api/protocols/${protocol.id}/start-analysis`).set(bearer(tok.staff)).send({}).expect(200);
      await fillDraft(t, tok.staff, protocol.reportId);
      const reportId = protocol.reportId;
      smtp.mails.length = 0;
      const res = await call(cluster.url, 'POST', `/api/reports/${reportId}/finalize`, tok.signer);
      expect(res.status).toBe(202);
      const { jobId } = res.json<FinalizeAccepted>();
      const record = () => t.em().findOne(JobRecord, { id: jobId });
      await waitUntil(async () => (await record())?.stage === 'rendering', { every: 5, ms: 30_000, what: 'stage rendering' });
      const [api] = cluster.apis;
      const worker = await busiest(cluster.workers);
      await Promise.all([api.crash(), worker.crash()]);

      // nginx skips the dead API process: every request still answers.
      for (let i = 0; i < 4; i++) expect((await call(cluster.url, 'GET', '/api/health', tok.admin)).status).toBe(200);
      await waitUntil(async () => (await record())?.state === 'completed', { ms: 40_000, what: `job ${jobId} completed` });
      const versions = await t.em().find(ReportVersion, { report: reportId });
      expect(versions.map((v) => [v.number, v.status, v.pdfKey])).toEqual([[1, 'finalized', `reports/${reportId}/v1.pdf`]]);
      const pdf = await call(cluster.url, 'GET', `/api/reports/${reportId}/pdf`, tok.vetA);
      expect([pdf.status, sha256(pdf.body)]).toEqual([200, versions[0].pdfSha256]);
      expect(filesUnder(join(t.env.DATA_DIR, 'files')).filter((file) => file.includes(reportId))).toHaveLength(1);

      await waitUntil(async () => (await t.em().find(OutboxMessage, { subjectId: reportId })).every((m) => m.status === 'sent') || null, { ms: 20_000, what: 'mails sent' });
      await new Promise((r) => setTimeout(r, 500));
      const outbox = await t.em().find(OutboxMessage, { subjectId: reportId });
      expect(outbox.length).toBeGreaterThan(0);
      const mails = smtp.mails.filter((m) => m.subject?.includes(protocol.code)).flatMap(recipientsOf).sort();
      expect(mails).toEqual(outbox.map((m) => m.recipient).sort());
      const conn = t.em().getConnection();
      // The same change of the same record written twice (a finalize moves a record through several states: each once).
      const audit = `from audit_log where entity_id in (?, ?) or job_id = ?`;
      expect(Number((await conn.execute(`select count(*) as n ${audit}`, [reportId, protocol.id, jobId]))[0].n)).toBeGreaterThan(0);
      expect(
        await conn.execute(`select entity_id, action ${audit} group by entity_id, action, cast(before as text), cast(after as text) having count(*) > 1`, [reportId, protocol.id, jobId]),
      ).toEqual([]);
      expect(await t.em().count(JobRecord, { subjectId: reportId })).toBe(1);

      // Both come back, and nginx sends requests to the restarted API process again.
      await Promise.all([api.start(), worker.start()]);
      const direct = await call(api.url, 'GET', '/api/health', tok.admin);
      expect(direct.status).toBe(200);
      for (let i = 0; i < 4; i++) expect((await call(cluster.url, 'GET', '/api/health', tok.admin)).status).toBe(200);
    }, 90_000);
  },
);
