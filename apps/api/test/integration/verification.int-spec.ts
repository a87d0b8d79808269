import { AnnulReportVersionAccepted, JobView, ReportVersionStatus, VerificationView } from '@vetlab/shared';
import { ReportVersion } from '../../src/reports/report-version.entity';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { getRaw } from '../support/pdf-http';
import { readyReport } from '../support/reports';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

const LIMIT = 5;
// Each test finalizes reports: the first waits for the render thread to warm up (slow on a busy machine).
jest.setTimeout(120_000);
const FIELDS = ['annulledAt', 'clinicName', 'code', 'finalizedAt', 'protocolCode', 'signerName', 'state', 'supersededBy', 'version'];

describe('public verification of printed codes (GET /api/verify/:code)', () => {
  let t: TestApp;
  let f: Fixtures;
  const tok = { signer: '', staff: '', vetA: '' };
  let addresses = 0;
  /** Each test its own client address, so that only the rate-limit test meets the limit. */
  const address = () => `10.7.${Math.floor(++addresses / 250)}.${addresses % 250}`;
  const verify = (code: string, ip = address()) => t.http().get(`/api/verify/${encodeURIComponent(code)}`).set('X-Forwarded-For', ip);

  beforeAll(async () => {
    t = await createTestApp({ VERIFY_RATE_LIMIT: String(LIMIT), VERIFY_RATE_WINDOW_SECONDS: '60', PUBLIC_URL: 'https://lab.example/' });
    f = await seedFixtures(t.em());
    [tok.signer, tok.staff, tok.vetA] = await Promise.all([f.signer, f.staff, f.vetA].map((u) => tokenFor(t, u)));
  });
  afterAll(() => t?.close());

  /** Finalizes the report's draft through HTTP and waits for its job; returns the version. */
  async function finalize(reportId: string): Promise<ReportVersion> {
    const { jobId } = (await t.http().post(`/api/reports/${reportId}/finalize`).set(bearer(tok.signer)).send().expect(202)).body;
    await waitUntil(async () => {
      const j = (await t.http().get(`/api/jobs/${jobId}`).set(bearer(tok.signer)).expect(200)).body as JobView;
      if (j.state === 'failed') throw new Error(`finalize failed: ${j.failedReason}`);
      return j.state === 'completed';
    }, { what: `finalize job ${jobId}`, ms: 60_000 });
    return t.em().findOneOrFail(ReportVersion, { report: reportId, status: { $ne: ReportVersionStatus.Draft } }, { orderBy: { number: 'desc' } });
  }

  it('says a current version is valid: protocol, clinic, signer, date and version, nothing about the owner or results', async () => {
    const { protocol, reportId } = await readyReport(t, f, { vet: tok.vetA, staff: tok.staff });
    const v = await finalize(reportId);
    expect(v.verificationCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    // The PDF's QR code (also a link) leads to the public page of this very code under PUBLIC_URL.
    const pdf = await getRaw(t, `/api/reports/${reportId}/pdf`, tok.vetA);
    expect(pdf.status).toBe(200);
    expect(pdf.body.toString('latin1').match(/\/URI \(([^)]*)\)/g)).toEqual([`/URI (https://lab.example/verificar/${v.verificationCode})`]);

    // As typed from paper: lower case, without dashes.
    const res = await verify(v.verificationCode!.toLowerCase().replace(/-/g, '')).expect(200);
    const body = res.body as VerificationView;
    expect(body).toEqual({
      code: v.verificationCode,
      state: 'valid',
      protocolCode: protocol.code,
      clinicName: 'Clínica Norte',
      signerName: 'Dr. Diego Firmante',
      finalizedAt: v.finalizedAt!.toISOString(),
      version: 1,
      supersededBy: null,
      annulledAt: null,
    });
    expect(Object.keys(body).sort()).toEqual(FIELDS);
    const text = JSON.stringify(res.body);
    for (const secret of [protocol.ownerName, protocol.animalName, protocol.ownerEmail, protocol.ownerPhone, 'Dra. Ana Norte', '50,5', 'negativo']) {
      if (secret) expect([secret, text.includes(secret)]).toEqual([secret, false]);
    }
  });

  it('says an amended version is superseded by the newer one, which is valid', async () => {
    const { reportId } = await readyReport(t, f, { vet: tok.vetA, staff: tok.staff });
    const v1 = await finalize(reportId);
    await t.http().post(`/api/reports/${reportId}/amend`).set(bearer(tok.signer)).send({ reason: 'a value was typed into the wrong row' }).expect(201);
    const v2 = await finalize(reportId);
    expect(v2.number).toBe(2);
    expect((await verify(v1.verificationCode!).expect(200)).body).toMatchObject({ state: 'superseded', version: 1, supersededBy: 2, annulledAt: null });
    expect((await verify(v2.verificationCode!).expect(200)).body).toMatchObject({ state: 'valid', version: 2, supersededBy: null });
  });

  it('says an annulled version is annulled, with the date of the annulment', async () => {
    const { reportId } = await readyReport(t, f, { vet: tok.vetA, staff: tok.staff });
    const v = await finalize(reportId);
    expect((await verify(v.verificationCode!).expect(200)).body).toMatchObject({ state: 'valid', annulledAt: null });
    // Annulled as a signer does it; the version's later changes (its stamped PDF) do not move the date.
    const accepted = (
      await t.http().post(`/api/reports/${reportId}/versions/1/annul`).set(bearer(tok.signer)).send({ reason: 'La muestra pertenecía a otro paciente.' }).expect(202)
    ).body as AnnulReportVersionAccepted;
    await waitUntil(async () => {
      const j = (await t.http().get(`/api/jobs/${accepted.jobId}`).set(bearer(tok.signer)).expect(200)).body as JobView;
      return j.state === 'completed' || j.state === 'failed';
    }, { what: `annulment render job ${accepted.jobId}`, ms: 60_000 });
    const annulled = await t.em().findOneOrFail(ReportVersion, { id: v.id });
    expect(annulled.invalidatedAt).toBeInstanceOf(Date);
    expect(accepted.version.invalidatedAt).toBe(annulled.invalidatedAt!.toISOString());
    expect((await verify(v.verificationCode!).expect(200)).body).toMatchObject({
      state: 'annulled',
      version: 1,
      supersededBy: null,
      annulledAt: annulled.invalidatedAt!.toISOString(),
    });
  });

  it('keeps verifying the former 10-character codes', async () => {
    const { reportId } = await readyReport(t, f, { vet: tok.vetA, staff: tok.staff });
    const v = await finalize(reportId);
    await t.em().nativeUpdate(ReportVersion, { id: v.id }, { verificationCode: 'K7Q2-9XRM-4T' });
    expect((await verify('k7q2 9xrm 4t').expect(200)).body).toMatchObject({ code: 'K7Q2-9XRM-4T', state: 'valid' });
  });

  it('answers the same 404 for an unknown, a malformed or an unreleased code', async () => {
    const { reportId } = await readyReport(t, f, { vet: tok.vetA, staff: tok.staff });
    // A draft never printed: a code on it (as a failed finalize may leave) verifies nothing.
    await t.em().nativeUpdate(ReportVersion, { report: reportId }, { verificationCode: 'ZZZZ-ZZZZ-ZZZZ-ZZZZ' });
    const bodies = [];
    for (const code of ['ZZZZ-ZZZZ-ZZZZ-ZZZZ', '0000-0000-0000-0000', 'ABCD-EFGH-JKMN-PQRU', 'not a code', '%27%20or%201=1--', 'x'.repeat(90)]) {
      const res = await verify(code).expect(404);
      bodies.push(res.body);
    }
    expect(new Set(bodies.map((b) => JSON.stringify(b)))).toEqual(new Set([JSON.stringify({ statusCode: 404, error: 'Not Found', message: 'verification code not found', code: 'NOT_FOUND' })]));
    // Longer than any route parameter may be: Fastify's 414, before any work (never a 500).
    expect((await verify('x'.repeat(2000)).expect(414)).body).toMatchObject({ statusCode: 414 });
  });

  it('needs no login, and a token changes nothing', async () => {
    const res = await verify('0000-0000-0000-0000').set(bearer(tok.vetA)).expect(404);
    expect(res.body.message).toBe('verification code not found');
  });

  it(`limits each address to ${LIMIT} lookups a window: 429 with Retry-After and a stable code; other addresses go on`, async () => {
    const ip = '10.6.0.1';
    for (let i = 0; i < LIMIT; i++) await verify('0000-0000-0000-0000', ip).expect(404);
    const res = await verify('0000-0000-0000-0000', ip).expect(429);
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(res.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', code: 'RATE_LIMITED' });
    expect(res.body.message).toMatch(/too many verification lookups from this address; try again in (\d+ seconds?|1 minute)/);
    await verify('0000-0000-0000-0000', '10.6.0.2').expect(404);
  });
});
