import { AuditAction, FinalizeAccepted, JobView, Role, UserView } from '@vetlab/shared';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { ReportVersion } from '../../src/reports/report-version.entity';
import { encodePngRgb } from '../../src/seed/signature-png';
import { decodePng } from '../../src/signatures/png-decode';
import { SignaturesService } from '../../src/signatures/signatures.service';
import { User } from '../../src/users/user.entity';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { encodeJpeg } from '../support/jpeg-encode';
import { getRaw, RawResponse } from '../support/pdf-http';
import { readyReport } from '../support/reports';
import { startSmtp, TestSmtp } from '../support/smtp';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

// Finalizing waits for the render threads' warm-up, slow on a busy machine.
jest.setTimeout(180_000);

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

/** A width×height RGB picture of stripes in one colour: easy to tell apart from the logo and the QR. */
function stripes(width: number, height: number, ink: [number, number, number]): Buffer {
  const rgb = Buffer.alloc(width * height * 3, 0xff);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if ((x >> 3) % 2 === 0 && y > height / 4 && y < (3 * height) / 4) rgb.set(ink, (y * width + x) * 3);
  return rgb;
}
const pngOf = (width: number, height: number, ink: [number, number, number]) => encodePngRgb(width, height, stripes(width, height, ink));

/** The pictures in a PDF: dimensions and, extracted as PNG, their pixels. */
function imagesIn(pdf: Buffer): { width: number; height: number; rgba: Uint8Array }[] {
  const dir = mkdtempSync(join(tmpdir(), 'vetlab-pdfimages-'));
  try {
    writeFileSync(join(dir, 'doc.pdf'), pdf);
    execFileSync('pdfimages', ['-png', join(dir, 'doc.pdf'), join(dir, 'img')]);
    return readdirSync(dir)
      .filter((n) => n.endsWith('.png'))
      .sort()
      .map((n) => decodePng(readFileSync(join(dir, n)), 1e8));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('signatures: uploaded by admins, checked by content, printed on the reports finalized after', () => {
  let t: TestApp;
  let f: Fixtures;
  let smtp: TestSmtp;
  const tok = { admin: '', staff: '', signer: '', vetA: '' };

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await createTestApp({ SMTP_URL: smtp.url, JOB_BACKOFF_MS: '50' });
    f = await seedFixtures(t.em());
    [tok.admin, tok.staff, tok.signer, tok.vetA] = await Promise.all([f.admin, f.staff, f.signer, f.vetA].map((u) => tokenFor(t, u)));
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const put = (userId: string, body: Buffer | string, type = 'image/png', token = tok.admin) =>
    t.http().put(`/api/users/${userId}/signature`).set(bearer(token)).set('Content-Type', type).send(body);
  const stored = async (userId: string, token = tok.admin): Promise<RawResponse> => getRaw(t, `/api/users/${userId}/signature`, token);
  const keyOf = async (userId: string) => (await t.em().findOneOrFail(User, { id: userId })).signatureKey;

  it('a PNG: stored as a PNG fitted to 600×200 by content address, hasSignature, audited with the keys', async () => {
    const res = await put(f.signer.id, pngOf(1200, 300, [200, 20, 20])).expect(200);
    expect(res.body as UserView).toMatchObject({ id: f.signer.id, hasSignature: true });
    const key = await keyOf(f.signer.id);
    expect(key).toMatch(new RegExp(`^signatures/${f.signer.id}/[0-9a-f]{16}\\.png$`));
    const image = await stored(f.signer.id);
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    const decoded = decodePng(image.body, 1e7);
    expect([decoded.width, decoded.height]).toEqual([600, 150]);
    const [entry] = await t.em().find(AuditLog, { entity: 'user', entityId: f.signer.id, action: AuditAction.SignatureUpload });
    expect(entry).toMatchObject({ actorId: f.admin.id, before: { signatureKey: null }, after: { signatureKey: key } });
    // The list shows it too.
    const list = (await t.http().get('/api/users?role=staff').set(bearer(tok.admin)).expect(200)).body.items as UserView[];
    expect(list.find((u) => u.id === f.signer.id)?.hasSignature).toBe(true);
    expect(list.find((u) => u.id === f.staff.id)?.hasSignature).toBe(false);
  });

  it('a JPEG (any Content-Type: the content decides), grey or colour, becomes the stored PNG', async () => {
    const jpeg = encodeJpeg(160, 80, stripes(160, 80, [10, 40, 160]));
    await put(f.signer.id, jpeg, 'application/octet-stream').expect(200);
    const decoded = decodePng((await stored(f.signer.id)).body, 1e7);
    expect([decoded.width, decoded.height]).toEqual([160, 80]);
    // A blue stripe pixel decodes blue (within JPEG's rounding).
    const o = (40 * 160 + 2) * 4;
    expect(Array.from(decoded.rgba.subarray(o, o + 3)).map((v, i) => Math.abs(v - [10, 40, 160][i]) < 12)).toEqual([true, true, true]);
    await put(f.signer.id, encodeJpeg(64, 32, stripes(64, 32, [0, 0, 0]), true), 'image/jpeg').expect(200);
  });

  it('refuses what is not a PNG or JPEG, whatever its name or type says: 415 with a message that says why', async () => {
    const before = await keyOf(f.signer.id);
    const text = await put(f.signer.id, Buffer.from('this is a text file named firma.png\n'), 'image/png').expect(415);
    expect(text.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringContaining('not a PNG or JPEG') });
    const png = pngOf(100, 50, [0, 0, 0]);
    const truncated = await put(f.signer.id, png.subarray(0, png.length - 30), 'image/png').expect(415);
    expect(truncated.body.message).toMatch(/truncated|corrupt/);
    const corrupt = Buffer.from(png);
    corrupt[40] ^= 0xff;
    expect((await put(f.signer.id, corrupt).expect(415)).body.message).toContain('corrupt');
    // A progressive JPEG (a real one, from a dependency's examples) is named as such.
    const progressive = readFileSync(require.resolve('@fastify/static/example/public/images/sample.jpg'));
    expect((await put(f.signer.id, progressive, 'image/jpeg').expect(415)).body.message).toContain('progressive');
    // JSON is no image body at all.
    const json = await t.http().put(`/api/users/${f.signer.id}/signature`).set(bearer(tok.admin)).send({ image: 'x' }).expect(400);
    expect(json.body.details).toEqual([expect.objectContaining({ field: 'body', code: 'custom' })]);
    expect(await keyOf(f.signer.id)).toBe(before);
  });

  it('refuses an upload over 500 KB with 413, saying the limit', async () => {
    const res = await put(f.signer.id, Buffer.alloc(600 * 1024, 7), 'image/png').expect(413);
    expect(res.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('at most 500 KB') });
  });

  it('only admins upload, only for staff signers; admins read any, a staff member their own', async () => {
    const png = pngOf(100, 50, [0, 0, 0]);
    const refused = await put(f.staff.id, png).expect(400);
    expect(refused.body.details).toEqual([expect.objectContaining({ field: 'params.id', code: 'not_allowed' })]);
    await put(f.admin.id, png).expect(400);
    await put(f.vetA.id, png).expect(400);
    await put(UNKNOWN, png).expect(404);
    await put(f.signer.id, png, 'image/png', tok.staff).expect(403);
    await put(f.signer.id, png, 'image/png', tok.signer).expect(403);
    await put(f.signer.id, png, 'image/png', tok.vetA).expect(403);

    expect((await stored(f.signer.id, tok.signer)).status).toBe(200);
    expect((await stored(f.signer.id, tok.staff)).status).toBe(404);
    expect((await stored(f.signer.id, tok.vetA)).status).toBe(403);
    expect((await stored(f.staff.id)).status).toBe(404);
    expect((await stored(UNKNOWN)).status).toBe(404);
  });

  it("an old database's signature blob becomes a stored file with a key, once; the blob stays for the versions printed with it", async () => {
    const em = t.em();
    const old = em.create(User, { email: 'antiguo@lab.test', name: 'Dr. Antiguo', role: Role.Staff, signer: true, passwordHash: 'x', signaturePng: pngOf(300, 100, [0, 0, 90]) });
    await em.flush();
    const service = t.app.get(SignaturesService);
    expect(await service.moveLegacySignatures()).toBe(1);
    expect(await service.moveLegacySignatures()).toBe(0);
    const moved = await t.em().findOneOrFail(User, { id: old.id }, { populate: ['signaturePng'] });
    expect(moved.signatureKey).toMatch(new RegExp(`^signatures/${old.id}/`));
    expect(moved.signaturePng?.length).toBeGreaterThan(0);
    expect(decodePng((await stored(old.id)).body, 1e7)).toMatchObject({ width: 300, height: 100 });
    const [entry] = await t.em().find(AuditLog, { entityId: old.id, action: AuditAction.SignatureUpload });
    expect(entry).toMatchObject({ actorId: null, after: { signatureKey: moved.signatureKey } });
  });

  describe('the image the PDFs print', () => {
    const job = async (jobId: string) => (await t.http().get(`/api/jobs/${jobId}`).set(bearer(tok.signer)).expect(200)).body as JobView;
    const settled = (jobId: string) =>
      waitUntil(async () => {
        const j = await job(jobId);
        return j.state === 'completed' || j.state === 'failed' ? j : null;
      }, { what: `job ${jobId}`, ms: 120_000 });
    const finalize = async () => {
      const r = await readyReport(t, f, { vet: tok.vetA, staff: tok.staff });
      const accepted = (await t.http().post(`/api/reports/${r.reportId}/finalize`).set(bearer(tok.signer)).send().expect(202)).body as FinalizeAccepted;
      expect((await settled(accepted.jobId)).state).toBe('completed');
      return r.reportId;
    };
    const pdfOf = (reportId: string) =>
      waitUntil(async () => {
        const res = await getRaw(t, `/api/reports/${reportId}/versions/1/pdf`, tok.vetA);
        return res.status === 202 ? null : res;
      }, { what: `report ${reportId} PDF`, ms: 120_000 });
    const sizes = (pdf: Buffer) => imagesIn(pdf).map((i) => `${i.width}x${i.height}`);

    it('a report finalized after an upload prints the new image (its pixels); one finalized before, re-rendered, keeps its own', async () => {
      await put(f.signer.id, pngOf(480, 120, [200, 20, 20])).expect(200);
      const imageA = decodePng((await stored(f.signer.id)).body, 1e7);
      const first = await finalize();
      const pdfA = await pdfOf(first);
      expect(execFileSync('pdftotext', ['-raw', '-', '-'], { input: pdfA.body, encoding: 'utf8' })).toContain(f.signer.name);
      const printed = imagesIn(pdfA.body).find((i) => i.width === 480 && i.height === 120);
      expect(printed).toBeDefined();
      expect(Buffer.from(printed!.rgba).equals(Buffer.from(imageA.rgba))).toBe(true);
      expect((await t.em().findOneOrFail(ReportVersion, { report: first, number: 1 })).signatureKey).toBe(await keyOf(f.signer.id));

      // A new image: the next report prints it (900×450 fitted to 400×200) …
      await put(f.signer.id, encodeJpeg(900, 450, stripes(900, 450, [20, 120, 20])), 'image/jpeg').expect(200);
      const second = await finalize();
      const pdfB = await pdfOf(second);
      expect(sizes(pdfB.body)).toContain('400x200');
      expect(sizes(pdfB.body)).not.toContain('480x120');

      // … while the earlier version, rendered again (its annulled copy), keeps the image it was finalized with.
      const annul = await t.http().post(`/api/reports/${first}/versions/1/annul`).set(bearer(tok.signer)).send({ reason: 'La muestra pertenecía a otro paciente: tubo mal etiquetado.' }).expect(202);
      expect((await settled(annul.body.jobId)).state).toBe('completed');
      const voided = await pdfOf(first);
      expect(voided.headers.etag).not.toBe(pdfA.headers.etag);
      expect(execFileSync('pdftotext', ['-raw', '-', '-'], { input: voided.body, encoding: 'utf8' })).toContain('ANULADO');
      expect(sizes(voided.body)).toContain('480x120');
      expect(sizes(voided.body)).not.toContain('400x200');
    });
  });
});
