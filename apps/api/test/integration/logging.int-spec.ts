import { FinalizeAccepted, JobKind, JobView, ReportView } from '@vetlab/shared';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { readyReport } from '../support/reports';
import { startSmtp, TestSmtp } from '../support/smtp';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

interface LogLine {
  level: string;
  context?: string;
  message: unknown;
  requestId?: string;
  jobId?: string;
  jobKind?: string;
}

/**
 * The app's logger as production runs it with LOG_FORMAT=json (at LOG_LEVEL=debug, so the SQL of
 * every query is logged, from deep inside services that pass no ids): what it writes to stdout
 * and stderr is captured and read back line by line.
 */
describe('JSON logs with the request id and the job id', () => {
  let t: TestApp;
  let f: Fixtures;
  let smtp: TestSmtp;
  const tok = { signer: '', staff: '', vetA: '' };
  const written: string[] = [];
  const spies: jest.SpyInstance[] = [];

  const lines = (): LogLine[] => written.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as LogLine);

  beforeAll(async () => {
    for (const stream of [process.stdout, process.stderr]) {
      spies.push(jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true)));
    }
    smtp = await startSmtp();
    t = await createTestApp({ SMTP_URL: smtp.url, LOG_FORMAT: 'json', LOG_LEVEL: 'debug', WORK_ORDER_PDF_PRERENDER: 'false' });
    f = await seedFixtures(t.em());
    [tok.signer, tok.staff, tok.vetA] = await Promise.all([f.signer, f.staff, f.vetA].map((u) => tokenFor(t, u)));
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    spies.forEach((s) => s.mockRestore());
  });

  it('every line is one JSON object; a request’s lines carry its X-Request-Id, echoed back, or one made for it', async () => {
    const { protocol } = await readyReport(t, f, { vet: tok.vetA, staff: tok.staff }, { fill: false });
    const id = `req-${Date.now()}`;
    // A body to read (the context must survive the body's parsing) and queries to log.
    const [draft] = ((await t.http().get(`/api/reports/${protocol.reportId}`).set(bearer(tok.staff)).expect(200)).body as ReportView).versions;
    const body = { lockVersion: draft.lockVersion, results: draft.rows.map((r) => ({ rowId: r.id, value: '1' })) };
    const res = await t.http().put(`/api/reports/${protocol.reportId}/draft`).set(bearer(tok.staff)).set('X-Request-Id', id).send(body).expect(200);
    expect(res.headers['x-request-id']).toBe(id);
    const mine = lines().filter((l) => l.requestId === id);
    expect(mine.filter((l) => l.context === 'MikroORM').length).toBeGreaterThan(0);
    expect(mine.every((l) => l.jobId === undefined)).toBe(true);

    const made = await t.http().get(`/api/reports/${protocol.reportId}`).set(bearer(tok.staff)).set('X-Request-Id', 'not sane"').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines().filter((l) => l.requestId === made.headers['x-request-id']).length).toBeGreaterThan(0);
  });

  it('a job’s lines carry its id and kind, not the id of the request that queued it', async () => {
    const { reportId } = await readyReport(t, f, { vet: tok.vetA, staff: tok.staff });
    const requestId = `finalize-${Date.now()}`;
    const { jobId } = (await t.http().post(`/api/reports/${reportId}/finalize`).set(bearer(tok.signer)).set('X-Request-Id', requestId).send().expect(202))
      .body as FinalizeAccepted;
    await waitUntil(async () => ((await t.http().get(`/api/jobs/${jobId}`).set(bearer(tok.signer))).body as JobView).state === 'completed', { what: 'the finalize' });
    const jobLines = lines().filter((l) => l.jobId === jobId);
    expect(jobLines.filter((l) => l.context === 'MikroORM').length).toBeGreaterThan(0);
    expect(jobLines.every((l) => l.jobKind === JobKind.FinalizeReport && l.requestId === undefined)).toBe(true);
    expect(lines().filter((l) => l.requestId === requestId).length).toBeGreaterThan(0);
  });
});
