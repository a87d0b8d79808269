import { FinalizeAccepted, HealthView, JobView } from '@vetlab/shared';
import { buffer } from 'node:stream/consumers';
import { loadConfig } from '../../src/config/app-config';
import { ReportVersion } from '../../src/reports/report-version.entity';
import { encodePngRgb } from '../../src/seed/signature-png';
import { createFileStorage } from '../../src/storage/create-file-storage';
import type { FileStorage } from '../../src/storage/file-storage';
import { User } from '../../src/users/user.entity';
import { WorkOrderPdf } from '../../src/work-orders/pdf/work-order-pdf.entity';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { getRaw, sha256 } from '../support/pdf-http';
import { protocolBody, submitProtocol } from '../support/protocols';
import { readyReport } from '../support/reports';
import { startS3, TestS3 } from '../support/s3-server';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

// Finalizing waits for the render threads' warm-up, slow on a busy machine.
jest.setTimeout(120_000);

/** A signature picture: red stripes, 600×200. */
function signaturePng(): Buffer {
  const [w, h] = [600, 200];
  const rgb = Buffer.alloc(w * h * 3, 0xff);
  for (let y = 50; y < 150; y++) for (let x = 0; x < w; x += 16) for (let dx = 0; dx < 8; dx++) rgb.set([200, 20, 20], (y * w + x + dx) * 3);
  return encodePngRgb(w, h, rgb);
}

describe('S3 storage: PDFs and signatures in an S3-compatible bucket, a stopped server is a 503 and jobs finish once it is back', () => {
  let s3: TestS3;
  let t: TestApp;
  let f: Fixtures;
  /** The bucket as another process sees it: no hot cache in between. */
  let bucket: FileStorage;
  const tok = { admin: '', staff: '', signer: '', vetA: '' };

  beforeAll(async () => {
    s3 = await startS3();
    t = await createTestApp({ ...s3.env('lab'), JOB_BACKOFF_MS: '300' });
    bucket = createFileStorage(loadConfig({ ...t.env }));
    f = await seedFixtures(t.em());
    [tok.admin, tok.staff, tok.signer, tok.vetA] = await Promise.all([f.admin, f.staff, f.signer, f.vetA].map((u) => tokenFor(t, u)));
  });
  afterAll(async () => {
    await t?.close();
    await bucket?.close?.();
    await s3?.close();
  });

  const finalize = (reportId: string) => t.http().post(`/api/reports/${reportId}/finalize`).set(bearer(tok.signer)).send();
  const job = async (jobId: string) => (await t.http().get(`/api/jobs/${jobId}`).set(bearer(tok.signer)).expect(200)).body as JobView;
  const settled = (jobId: string) =>
    waitUntil(async () => {
      const j = await job(jobId);
      return j.state === 'completed' || j.state === 'failed' ? j : null;
    }, { what: `job ${jobId} to finish`, ms: 60_000 });

  it('a signature uploaded goes to the bucket and is printed by the next finalize, whose PDF is in the bucket and served with ETag and 304', async () => {
    await t.http().put(`/api/users/${f.signer.id}/signature`).set(bearer(tok.admin)).set('Content-Type', 'image/png').send(signaturePng()).expect(200);
    const signatureKey = (await t.em().findOneOrFail(User, { id: f.signer.id })).signatureKey!;
    expect(await bucket.exists(signatureKey)).toBe(true);

    const { reportId } = await readyReport(t, f, { vet: tok.vetA, staff: tok.staff });
    const accepted = (await finalize(reportId).expect(202)).body as FinalizeAccepted;
    expect(await settled(accepted.jobId)).toMatchObject({ state: 'completed' });
    const v = await t.em().findOneOrFail(ReportVersion, { report: reportId, number: 1 });
    expect(v.signatureKey).toBe(signatureKey);

    const inBucket = await buffer((await bucket.open(v.pdfKey!))!.stream);
    expect(sha256(inBucket)).toBe(v.pdfSha256);
    const pdf = await getRaw(t, `/api/reports/${reportId}/pdf`, tok.vetA);
    expect([pdf.status, pdf.headers.etag]).toEqual([200, `"${v.pdfSha256}"`]);
    expect(pdf.body.equals(inBucket)).toBe(true);
    expect((await getRaw(t, `/api/reports/${reportId}/pdf`, tok.vetA, { 'If-None-Match': pdf.headers.etag })).status).toBe(304);
  });

  it('a work-order PDF is rendered into the bucket and served from it, with ETag and 304', async () => {
    const p = await submitProtocol(t, tok.vetA, protocolBody(f, { panelIds: [f.panels.cbc.id] }));
    const pdf = await waitUntil(
      async () => {
        const res = await getRaw(t, `/api/work-orders/${p.workOrderId}/pdf`, tok.vetA);
        return res.status === 200 ? res : null;
      },
      { what: 'the work-order PDF', every: 50 },
    );
    const row = await t.em().findOneOrFail(WorkOrderPdf, { workOrder: p.workOrderId });
    expect(pdf.headers.etag).toBe(`"${row.sha256}"`);
    expect(sha256(await buffer((await bucket.open(row.storageKey!))!.stream))).toBe(row.sha256);
    expect((await getRaw(t, `/api/work-orders/${p.workOrderId}/pdf`, tok.vetA, { 'If-None-Match': pdf.headers.etag })).status).toBe(304);
  });

  it('the S3 server stopped or frozen: 503 STORAGE_UNAVAILABLE within a second, health says storage, a PDF in the hot cache is still served; a finalize sent meanwhile completes after retries once it is back', async () => {
    const { reportId } = await readyReport(t, f, { vet: tok.vetA, staff: tok.staff });
    const signature = () => getRaw(t, `/api/users/${f.signer.id}/signature`, tok.admin);
    expect((await signature()).status).toBe(200);
    // A work-order PDF opened once is in the API's hot cache: its row names its content, S3 is not asked.
    const p = await submitProtocol(t, tok.vetA, protocolBody(f, { panelIds: [f.panels.cbc.id] }));
    const workOrderPdf = () => getRaw(t, `/api/work-orders/${p.workOrderId}/pdf`, tok.vetA);
    const cached = await waitUntil(async () => ((await workOrderPdf()).status === 200 ? workOrderPdf() : null), { what: 'the work-order PDF', every: 50 });

    for (const cut of ['stop', 'freeze'] as const) {
      if (cut === 'stop') await s3.stop();
      else s3.pause();
      try {
        const started = Date.now();
        const res = await signature();
        expect(Date.now() - started).toBeLessThan(1000);
        expect([res.status, res.json().code]).toEqual([503, 'STORAGE_UNAVAILABLE']);
        expect(res.headers['retry-after']).toBeDefined();
        const health = await t.http().get('/api/health');
        expect(health.status).toBe(503);
        expect((health.body as HealthView).storage).toMatchObject({ ok: false, kind: 's3' });
        const hot = await workOrderPdf();
        expect([hot.status, hot.headers.etag, hot.body.equals(cached.body)]).toEqual([200, cached.headers.etag, true]);
      } finally {
        if (cut === 'freeze') s3.resume();
      }
    }

    // Still stopped: the finalize is accepted, and its job fails to read the signature until S3 is back.
    const accepted = (await finalize(reportId).expect(202)).body as FinalizeAccepted;
    await waitUntil(async () => ((await job(accepted.jobId)).attempts >= 2 ? true : null), { what: 'a retry of the finalize', ms: 30_000 });
    await s3.start();
    expect(await settled(accepted.jobId)).toMatchObject({ state: 'completed', failedReason: null });
    const v = await t.em().findOneOrFail(ReportVersion, { report: reportId, number: 1 });
    expect(await bucket.exists(v.pdfKey!)).toBe(true);
    expect((await t.http().get('/api/health').expect(200)).body as HealthView).toMatchObject({ storage: { ok: true, kind: 's3' } });
  });
});
