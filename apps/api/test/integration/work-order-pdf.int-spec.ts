import { getQueueToken } from '@nestjs/bull';
import { JobView, QueueName, Role, WorkOrderPdfAccepted, WorkOrderPdfJobResult } from '@vetlab/shared';
import type { Queue } from 'bull';
import { execFileSync } from 'node:child_process';
import { hashPassword } from '../../src/auth/password';
import { JobRecord } from '../../src/jobs/job.entity';
import { RenderPoolService } from '../../src/pdf/render-pool.service';
import { FILE_STORAGE, FileStorage } from '../../src/storage/file-storage';
import { User } from '../../src/users/user.entity';
import { WorkOrderPdf } from '../../src/work-orders/pdf/work-order-pdf.entity';
import { WorkOrderPdfSweepService } from '../../src/work-orders/pdf/work-order-pdf-sweep.service';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { getRaw, RawResponse, sha256 } from '../support/pdf-http';
import { protocolBody, submitProtocol } from '../support/protocols';
import { ClientSocket, nextEvent, record, SocketPool } from '../support/socket';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

const pdfText = (pdf: Buffer) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf, encoding: 'utf8' });

describe('work-order PDFs', () => {
  let t: TestApp;
  let f: Fixtures;
  const sockets = new SocketPool();
  const tok = { vetA: '', vetA2: '', vetB: '', staff: '' };
  let vetA2Socket: ClientSocket;
  let vetBSocket: ClientSocket;

  beforeAll(async () => {
    t = await createTestApp();
    f = await seedFixtures(t.em());
    // A second vet of clinic A: every vet of the clinic may follow a render another one started.
    const em = t.em();
    const vetA2 = em.create(User, { email: 'vet.a2@norte.test', name: 'Dr. Alberto Norte', role: Role.Vet, clinic: f.clinicA, passwordHash: await hashPassword('x', 'low') });
    await em.flush();
    [tok.vetA, tok.vetA2, tok.vetB, tok.staff] = await Promise.all([f.vetA, vetA2, f.vetB, f.staff].map((u) => tokenFor(t, u)));
    vetA2Socket = await sockets.connect(t, tok.vetA2);
    vetBSocket = await sockets.connect(t, tok.vetB);
  });
  afterAll(async () => {
    sockets.closeAll();
    await t?.close();
  });

  const queue = () => t.app.get<Queue>(getQueueToken(QueueName.WorkOrderPdfs));
  const storage = () => t.app.get<FileStorage>(FILE_STORAGE);
  const open = (id: string, token = tok.vetA, headers: Record<string, string> = {}) => getRaw(t, `/api/work-orders/${id}/pdf`, token, headers);
  const fresh = (over: Parameters<typeof protocolBody>[1] = {}) => submitProtocol(t, tok.vetA, protocolBody(f, { panelIds: [f.panels.cbc.id, f.panels.chem.id, f.panels.urine.id], priority: 'urgent', ...over }));
  const jobsOf = (workOrderId: string) => t.em().find(JobRecord, { subjectId: workOrderId }, { orderBy: { createdAt: 'asc' } });
  /** Opens until the cache answers (a 202 means its one job is still on it). */
  const openWhenReady = (id: string, token = tok.vetA, etagOtherThan?: string) =>
    waitUntil(
      async () => {
        const res = await open(id, token);
        if (res.status !== 200 && res.status !== 202) throw new Error(`unexpected ${res.status}: ${res.body.toString()}`);
        return res.status === 200 && res.headers.etag !== etagOtherThan ? res : null;
      },
      { what: `work order ${id} PDF`, every: 50 },
    );

  it('twenty concurrent cold opens: one job (202, X-Cache: miss) every clinic vet may read, one render, then a streamed hit with ETag and 304', async () => {
    // Hold this process's worker: the pre-render queued by the intake and the opens all wait.
    await queue().pause(true);
    const p = await fresh();
    // The intake queues the pre-render right after answering.
    const [prerender] = await waitUntil(async () => ((await jobsOf(p.workOrderId)).length ? jobsOf(p.workOrderId) : null), { what: 'the pre-render job' });
    expect(prerender).toMatchObject({ kind: 'work_order_pdf', state: 'queued', createdById: null });

    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => open(p.workOrderId, i % 2 ? tok.vetA2 : tok.vetA)));
    expect(answers.map((a) => [a.status, a.headers['x-cache']])).toEqual(Array(20).fill([202, 'miss']));
    const bodies = answers.map((a) => a.json<WorkOrderPdfAccepted>());
    expect(new Set(bodies.map((b) => b.jobId))).toEqual(new Set([prerender.id]));
    expect(bodies[0]).toEqual({ jobId: prerender.id, kind: 'work_order_pdf', state: 'queued', workOrderId: p.workOrderId });
    expect(await jobsOf(p.workOrderId)).toHaveLength(1);
    expect(await t.em().count(WorkOrderPdf, { workOrder: p.workOrderId })).toBe(1);
    // A person now waits for it: the background pre-render was moved to the front.
    expect((await queue().getJob(prerender.id))?.opts.priority).toBe(1);

    // Every vet of the clinic may read the job; another clinic's vet may not.
    for (const token of [tok.vetA, tok.vetA2, tok.staff]) {
      expect((await t.http().get(`/api/jobs/${prerender.id}`).set(bearer(token)).expect(200)).body).toMatchObject({ id: prerender.id, subject: { type: 'work_order', id: p.workOrderId } });
    }
    await t.http().get(`/api/jobs/${prerender.id}`).set(bearer(tok.vetB)).expect(404);

    // Counts real renders (the call goes through to the pool).
    const renders = jest.spyOn(t.app.get(RenderPoolService), 'render');
    const ready = nextEvent(vetA2Socket, 'work-order-pdf:ready', 15_000);
    const foreign = record(vetBSocket, 'work-order-pdf:ready');
    await queue().resume(true);
    expect(await ready).toEqual({ workOrderId: p.workOrderId, version: 1 });

    const job = (await t.http().get(`/api/jobs/${prerender.id}`).set(bearer(tok.vetA2)).expect(200)).body as JobView;
    expect(job).toMatchObject({ state: 'completed', attempts: 1, progress: 100 });
    const result = job.result as unknown as WorkOrderPdfJobResult;

    const hit = await open(p.workOrderId, tok.vetA2);
    expect(hit.status).toBe(200);
    expect(hit.headers).toMatchObject({ 'x-cache': 'hit', 'content-type': 'application/pdf', etag: `"${sha256(hit.body)}"` });
    expect(hit.headers['cache-control']).toMatch(/^private\b/);
    expect(new Date(hit.headers['last-modified']).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(hit.headers['content-disposition']).toBe(`inline; filename="orden-de-trabajo-${p.code}-v1.pdf"`);
    expect(Number(hit.headers['content-length'])).toBe(hit.body.length);
    expect(result).toMatchObject({ workOrderId: p.workOrderId, version: 1, sha256: sha256(hit.body), size: hit.body.length, pages: 1 });
    // Twenty opens and a pre-render, one render.
    expect(renders.mock.calls.map(([r, priority]) => [r.document, priority])).toEqual([['work-order', 'interactive']]);
    renders.mockRestore();
    expect(await jobsOf(p.workOrderId)).toHaveLength(1);

    const text = pdfText(hit.body);
    for (const s of ['ORDEN DE TRABAJO', p.code, 'Firulais', 'Clínica Norte', 'PRIORIDAD: URGENTE', 'Hemograma', 'Hematocrito', 'Glucosa', 'Alanina aminotransferasa', 'Proteínas en orina', 'Sangre entera (EDTA)']) {
      expect(text).toContain(s);
    }

    const again = await open(p.workOrderId, tok.vetA, { 'If-None-Match': hit.headers.etag });
    expect([again.status, again.body.length, again.headers.etag, again.headers['x-cache']]).toEqual([304, 0, hit.headers.etag, 'hit']);
    const otherTag = await open(p.workOrderId, tok.vetA, { 'If-None-Match': '"nope"' });
    expect(otherTag.status).toBe(200);
    expect(foreign).toEqual([]);
  });

  it('creating a work order pre-renders it, so the first open is already a hit', async () => {
    const p = await fresh({ priority: 'routine' });
    await waitUntil(async () => (await jobsOf(p.workOrderId)).some((j) => j.state === 'completed'), { what: 'pre-render done' });
    expect((await jobsOf(p.workOrderId)).map((j) => [j.createdById, j.state])).toEqual([[null, 'completed']]);
    expect((await t.em().findOneOrFail(WorkOrderPdf, { workOrder: p.workOrderId, contentVersion: 1 })).storageKey).toBe(`work-orders/${p.workOrderId}/v1.pdf`);
    const res = await open(p.workOrderId);
    expect([res.status, res.headers['x-cache']]).toEqual([200, 'hit']);
  });

  it('an edit bumps the version: the next open serves the new content; old versions are removed after the retention period', async () => {
    const p = await fresh();
    const v1 = await openWhenReady(p.workOrderId);
    await t
      .http()
      .patch(`/api/work-orders/${p.workOrderId}`)
      .set(bearer(tok.staff))
      .send({ contentVersion: 1, priority: 'stat', instructions: 'Centrifugar antes de 30 minutos', requirements: [{ section: 'urianalisis', requirement: '10 ml de orina fresca' }] })
      .expect(200);
    const v2: RawResponse = await openWhenReady(p.workOrderId, tok.vetA, v1.headers.etag);
    expect(v2.headers['content-disposition']).toBe(`inline; filename="orden-de-trabajo-${p.code}-v2.pdf"`);
    const text = pdfText(v2.body);
    expect(text).toContain('Centrifugar antes de 30 minutos');
    expect(text).toContain('10 ml de orina fresca');
    expect(text).toContain('STAT');
    // The old ETag no longer matches: the browser gets the new file, not a 304.
    expect((await open(p.workOrderId, tok.vetA, { 'If-None-Match': v1.headers.etag })).status).toBe(200);

    const rows = await t.em().find(WorkOrderPdf, { workOrder: p.workOrderId }, { orderBy: { contentVersion: 'asc' } });
    expect(rows.map((r) => [r.contentVersion, r.sha256])).toEqual([
      [1, v1.headers.etag.slice(1, -1)],
      [2, v2.headers.etag.slice(1, -1)],
    ]);
    const sweeper = t.app.get(WorkOrderPdfSweepService);
    // Within the retention period nothing goes; after it, the old version's file and record do.
    expect(await sweeper.sweep()).toBe(0);
    expect(await storage().exists(rows[0].storageKey!)).toBe(true);
    const later = new Date(Date.now() + t.config.workOrderPdf.retentionSeconds * 1000 + 60_000);
    expect(await sweeper.sweep(later)).toBeGreaterThanOrEqual(1);
    expect(await storage().exists(rows[0].storageKey!)).toBe(false);
    expect(await storage().exists(rows[1].storageKey!)).toBe(true);
    expect((await t.em().find(WorkOrderPdf, { workOrder: p.workOrderId })).map((r) => r.contentVersion)).toEqual([2]);
    expect((await open(p.workOrderId)).headers.etag).toBe(v2.headers.etag);
  });

  it('a record whose file has vanished is rendered again: 202, then the PDF, never a 500', async () => {
    const p = await fresh();
    const first = await openWhenReady(p.workOrderId);
    const row = await t.em().findOneOrFail(WorkOrderPdf, { workOrder: p.workOrderId, contentVersion: 1 });
    await storage().remove(row.storageKey!);

    const ready = nextEvent(vetA2Socket, 'work-order-pdf:ready', 15_000);
    const miss = await open(p.workOrderId);
    expect([miss.status, miss.headers['x-cache']]).toEqual([202, 'miss']);
    const accepted = miss.json<WorkOrderPdfAccepted>();
    expect(accepted).toMatchObject({ kind: 'work_order_pdf', workOrderId: p.workOrderId });
    expect(await ready).toEqual({ workOrderId: p.workOrderId, version: 1 });
    const again = await openWhenReady(p.workOrderId);
    expect(again.body.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdfText(again.body)).toContain(p.code);
    expect(first.headers['content-disposition']).toBe(again.headers['content-disposition']);
    // (The ready event may precede the record's last write by a moment.)
    await waitUntil(async () => (await jobsOf(p.workOrderId)).map((j) => j.state).join() === 'completed,completed', { what: 'both jobs completed' });
  });

  it('a deactivated user is refused at once, with a token still valid', async () => {
    const p = await fresh();
    const em = t.em();
    const gone = em.create(User, { email: 'vet.gone@norte.test', name: 'Dra. Ida Norte', role: Role.Vet, clinic: f.clinicA, passwordHash: await hashPassword('x', 'low') });
    await em.flush();
    const token = await tokenFor(t, gone);
    expect((await open(p.workOrderId, token)).status).not.toBe(401);
    await t.em().nativeUpdate(User, { id: gone.id }, { active: false });
    expect((await open(p.workOrderId, token)).status).toBe(401);
  });

  it('vets reach only their own clinic’s work-order PDFs: 404 by id and by guessed paths, nothing rendered for them', async () => {
    const p = await fresh();
    await openWhenReady(p.workOrderId);
    const jobsBefore = (await jobsOf(p.workOrderId)).length;
    const id = p.workOrderId;
    const notFound = [
      `/api/work-orders/${id}/pdf`,
      `/api/work-orders/${id}/pdf?version=1`,
      `/api/work-orders/${id}/versions/1/pdf`,
      `/api/work-orders/${id}/v1.pdf`,
      `/api/files/work-orders/${id}/v1.pdf`,
      `/files/work-orders/${id}/v1.pdf`,
      `/api/protocols/${p.id}/work-order/pdf`,
      '/api/work-orders/00000000-0000-4000-8000-000000000000/pdf',
    ];
    for (const path of notFound) {
      const res = await getRaw(t, path, tok.vetB);
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.body.subarray(0, 5).toString()).not.toBe('%PDF-');
    }
    // Paths that try to leave the route: a malformed id is a 400 naming it, never a file.
    for (const path of [`/api/work-orders/..%2F..%2Ffiles%2Fwork-orders%2F${id}%2Fv1.pdf/pdf`, `/api/work-orders/${id}%2F..%2F/pdf`]) {
      const res = await getRaw(t, path, tok.vetB);
      expect([path, res.status]).toEqual([path, 400]);
      expect(res.json<{ details: { field: string }[] }>().details[0].field).toBe('param.id');
    }
    // The route is answered ahead of Express (hot-routes): the same refusals in the same ErrorBody.
    const anonymous = await t.http().get(`/api/work-orders/${id}/pdf`).expect(401);
    expect(anonymous.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'missing, invalid or expired access token', code: 'UNAUTHENTICATED' });
    await t.http().get(`/api/work-orders/${id}/pdf`).set(bearer('not-a-token')).expect(401);
    expect(await jobsOf(p.workOrderId)).toHaveLength(jobsBefore);
    // The lab sees every clinic's.
    expect((await open(id, tok.staff)).status).toBe(200);
  });

  it('the hot route and Nest’s route answer alike: HEAD (through Nest) has GET’s headers; other methods are 404', async () => {
    const p = await fresh();
    const hit = await openWhenReady(p.workOrderId);
    const head = await t.http().head(`/api/work-orders/${p.workOrderId}/pdf`).set(bearer(tok.vetA)).expect(200);
    for (const h of ['etag', 'last-modified', 'cache-control', 'content-type', 'content-disposition', 'content-length', 'x-cache']) {
      expect([h, head.headers[h]]).toEqual([h, hit.headers[h]]);
    }
    const post = await t.http().post(`/api/work-orders/${p.workOrderId}/pdf`).set(bearer(tok.vetA)).send().expect(404);
    expect(post.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});
