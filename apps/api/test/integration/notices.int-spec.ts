import { FinalizeAccepted, JobView, NoticeKind, NoticePage, NoticeView, ReportVersionView, Role } from '@vetlab/shared';
import { writeTransaction } from '../../src/database/database';
import { Notice } from '../../src/notices/notice.entity';
import { NoticesService } from '../../src/notices/notices.service';
import { User } from '../../src/users/user.entity';
import { bearer, tokenFor } from '../support/auth';
import { insertProtocols, runOver } from '../support/bulk';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { protocolBody, submitProtocol } from '../support/protocols';
import { readyReport } from '../support/reports';
import { ClientSocket, nextEvent, record, SocketPool, whoami } from '../support/socket';
import { startSmtp, TestSmtp } from '../support/smtp';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

describe('vets’ in-app notices', () => {
  let t: TestApp;
  let f: Fixtures;
  let smtp: TestSmtp;
  let vetA2: User;
  let vetAOff: User;
  const sockets = new SocketPool();
  const tok = { signer: '', staff: '', admin: '', vetA: '', vetA2: '', vetB: '' };
  let socketA: ClientSocket;
  let socketB: ClientSocket;

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await createTestApp({ SMTP_URL: smtp.url, JOB_BACKOFF_MS: '50', BULK_CHUNK_SIZE: '7' });
    f = await seedFixtures(t.em());
    const em = t.em();
    const hash = (await em.findOneOrFail(User, { id: f.vetA.id }, { populate: ['passwordHash'] })).passwordHash;
    vetA2 = em.create(User, { email: 'vet.a2@norte.test', name: 'Dr. Abel Norte', role: Role.Vet, passwordHash: hash, clinic: f.clinicA.id });
    vetAOff = em.create(User, { email: 'vet.off@norte.test', name: 'Dra. Baja Norte', role: Role.Vet, passwordHash: hash, clinic: f.clinicA.id, active: false });
    await em.flush();
    [tok.signer, tok.staff, tok.admin, tok.vetA, tok.vetA2, tok.vetB] = await Promise.all([f.signer, f.staff, f.admin, f.vetA, vetA2, f.vetB].map((u) => tokenFor(t, u)));
    socketA = await sockets.connect(t, tok.vetA);
    socketB = await sockets.connect(t, tok.vetB);
  }, 60_000);
  afterAll(async () => {
    sockets.closeAll();
    await t?.close();
    await smtp?.close();
  });

  const list = async (token: string, query = '') => (await t.http().get(`/api/notices${query}`).set(bearer(token)).expect(200)).body as NoticePage;
  const unread = async (token: string) => ((await t.http().get('/api/notices/unread-count').set(bearer(token)).expect(200)).body as { unread: number }).unread;
  const rowsOf = (userId: string) => t.em().find(Notice, { userId }, { orderBy: { createdAt: 'desc' } });
  const settled = (jobId: string) =>
    waitUntil(async () => {
      const j = (await t.http().get(`/api/jobs/${jobId}`).set(bearer(tok.signer)).expect(200)).body as JobView;
      return j.state === 'completed' || j.state === 'failed' ? j : null;
    }, { what: `job ${jobId} to finish`, ms: 30_000 });
  const finalize = async (reportId: string) => {
    const accepted = (await t.http().post(`/api/reports/${reportId}/finalize`).set(bearer(tok.signer)).send().expect(202)).body as FinalizeAccepted;
    expect((await settled(accepted.jobId)).state).toBe('completed');
  };
  const noticesOfB = () => list(tok.vetB, '?pageSize=200');

  it('a protocol received and its report finalized, then corrected: each active vet of the clinic hears, live and in the list; the other clinic never', async () => {
    const foreign = record(socketB, 'notice:new');
    const liveA = record(socketA, 'notice:new');
    const beforeB = (await noticesOfB()).total;

    const { protocol, reportId } = await readyReport(t, f, { vet: tok.vetA, staff: tok.staff });
    const finalizedLive = waitUntil(() => liveA.find((n) => n.kind === NoticeKind.ReportFinalized), { what: 'report_finalized live', ms: 30_000 });
    await finalize(reportId);
    const live = await finalizedLive;
    expect(live).toMatchObject({ kind: 'report_finalized', protocolId: protocol.id, protocolCode: protocol.code, reportId, versionNumber: 1, readAt: null, reason: null });

    for (const token of [tok.vetA, tok.vetA2]) {
      const page = await list(token);
      expect(page.items.map((n) => [n.kind, n.protocolCode])).toEqual([
        ['report_finalized', protocol.code],
        ['protocol_received', protocol.code],
      ]);
      expect(page).toMatchObject({ total: 2, unread: 2, page: 1 });
    }
    expect(liveA.map((n) => n.kind).sort()).toEqual(['protocol_received', 'report_finalized']);
    expect(liveA.find((n) => n.kind === 'report_finalized')).toEqual((await list(tok.vetA)).items[0]);
    expect(await rowsOf(vetAOff.id)).toEqual([]);
    for (const u of [f.staff, f.signer, f.admin]) expect(await rowsOf(u.id)).toEqual([]);

    // A correction: version 2 supersedes 1, and the vets hear it as corrected.
    const v2 = (await t.http().post(`/api/reports/${reportId}/amend`).set(bearer(tok.signer)).send({ reason: 'Se corrige un valor mal transcrito.' }).expect(201)).body as ReportVersionView;
    await t.http().put(`/api/reports/${reportId}/draft`).set(bearer(tok.staff)).send({ lockVersion: v2.lockVersion, results: [{ rowId: v2.rows[0].id, value: '41' }] }).expect(200);
    await finalize(reportId);
    await waitUntil(() => liveA.find((n) => n.kind === NoticeKind.ReportCorrected), { what: 'report_corrected live' });
    expect((await list(tok.vetA2)).items[0]).toMatchObject({ kind: 'report_corrected', reportId, versionNumber: 2 });

    await whoami(socketB);
    expect(foreign).toEqual([]);
    expect((await noticesOfB()).total).toBe(beforeB);
  }, 90_000);

  it('a rejection tells the clinic why, and no one else', async () => {
    const liveA = record(socketA, 'notice:new');
    const beforeA = (await list(tok.vetA)).total;
    const p = await submitProtocol(t, tok.vetB, protocolBody(f));
    const live = nextEvent(socketB, 'notice:new');
    await t.http().post(`/api/protocols/${p.id}/reject`).set(bearer(tok.staff)).send({ reason: 'muestra hemolizada' }).expect(200);
    expect(await live).toMatchObject({ kind: 'protocol_rejected', protocolId: p.id, reason: 'muestra hemolizada', reportId: null, versionNumber: null });
    expect((await list(tok.vetB)).items[0]).toMatchObject({ kind: 'protocol_rejected', protocolCode: p.code });
    await whoami(socketA);
    expect(liveA).toEqual([]);
    expect((await list(tok.vetA)).total).toBe(beforeA);
  });

  it('bulk runs (receive, reject) give each vet one notice per protocol of their own clinic', async () => {
    const ids = await insertProtocols(t, 20, { clinics: [f.clinicA, f.clinicB], createdBy: f.vetA });
    const before = { a: (await list(tok.vetA)).total, a2: (await list(tok.vetA2)).total, b: (await noticesOfB()).total };
    const liveB = record(socketB, 'notice:new');
    const received = (await t.http().post('/api/protocols/bulk').set(bearer(tok.admin)).send({ action: 'receive', ids: ids.slice(0, 14) }).expect(202)).body as { bulkId: string };
    expect((await runOver(t, received.bulkId)).state).toBe('completed');
    const rejected = (await t.http().post('/api/protocols/bulk').set(bearer(tok.admin)).send({ action: 'reject', ids: ids.slice(10), reason: 'sin muestra' }).expect(202)).body as { bulkId: string };
    expect((await runOver(t, rejected.bulkId)).state).toBe('completed');

    // ids alternate between the clinics: of the first 14 received, 7 are A's; of the last 10 rejected, 5 are A's.
    const a = (await list(tok.vetA, '?pageSize=200')).items;
    expect(a.length - before.a).toBe(12);
    expect((await list(tok.vetA2)).total - before.a2).toBe(12);
    expect((await noticesOfB()).total - before.b).toBe(12);
    const ofA = new Set(ids.filter((_, i) => i % 2 === 0));
    const fresh = a.slice(0, 12);
    expect(fresh.every((n) => ofA.has(n.protocolId))).toBe(true);
    expect(fresh.filter((n) => n.kind === 'protocol_rejected').every((n) => n.reason === 'sin muestra')).toBe(true);
    expect(fresh.filter((n) => n.kind === 'protocol_rejected')).toHaveLength(5);
    await waitUntil(() => liveB.length >= 12, { what: 'vet B live notices' });
    expect(liveB.every((n) => !ofA.has(n.protocolId))).toBe(true);
  }, 60_000);

  it('unread count, paging newest first, mark one read, mark all read; another user’s notice is 404', async () => {
    const total = (await list(tok.vetA)).total;
    expect(await unread(tok.vetA)).toBe(total);
    const first = await list(tok.vetA, '?pageSize=2');
    const second = await list(tok.vetA, '?pageSize=2&page=2');
    expect(first.items).toHaveLength(2);
    expect(first.items[1].createdAt >= second.items[0].createdAt).toBe(true);

    const target = first.items[0];
    const marked = (await t.http().post(`/api/notices/${target.id}/read`).set(bearer(tok.vetA)).expect(200)).body as NoticeView;
    expect(marked).toMatchObject({ id: target.id, readAt: expect.any(String) });
    // Again: still read, same time.
    expect(((await t.http().post(`/api/notices/${target.id}/read`).set(bearer(tok.vetA)).expect(200)).body as NoticeView).readAt).toBe(marked.readAt);
    expect(await unread(tok.vetA)).toBe(total - 1);
    expect((await list(tok.vetA, '?unread=true&pageSize=200')).items.map((n) => n.id)).not.toContain(target.id);
    // vet A2 has the same notices under other ids: their count is untouched.
    expect(await unread(tok.vetA2)).toBe((await list(tok.vetA2)).total);

    // Someone else's notice, an unknown one, a malformed id.
    const foreign = await t.http().post(`/api/notices/${target.id}/read`).set(bearer(tok.vetB)).expect(404);
    expect(foreign.body.message).toBe('notice not found');
    await t.http().post(`/api/notices/${target.id}/read`).set(bearer(tok.vetA2)).expect(404);
    await t.http().post('/api/notices/00000000-0000-4000-8000-000000000000/read').set(bearer(tok.vetA)).expect(404);
    const bad = await t.http().post('/api/notices/nope/read').set(bearer(tok.vetA)).expect(400);
    expect(bad.body.details[0].field).toBe('param.id');
    expect((await t.http().get('/api/notices?page=0').set(bearer(tok.vetA)).expect(400)).body.details[0].field).toBe('query.page');
    expect((await t.http().get('/api/notices?unread=maybe').set(bearer(tok.vetA)).expect(400)).body.details[0].field).toBe('query.unread');

    const all = (await t.http().post('/api/notices/read-all').set(bearer(tok.vetA)).expect(200)).body;
    expect(all).toEqual({ marked: total - 1, unread: 0 });
    expect(await unread(tok.vetA)).toBe(0);
    expect(await unread(tok.vetA2)).toBeGreaterThan(0);

    // Staff and admins have no notices: the routes are the vets'.
    await t.http().get('/api/notices').set(bearer(tok.staff)).expect(403);
    await t.http().get('/api/notices/unread-count').set(bearer(tok.admin)).expect(403);
    await t.http().get('/api/notices').expect(401);
  });

  it('the same change written twice (a job run again) is one notice per vet, announced once', async () => {
    const notices = t.app.get(NoticesService);
    const change = {
      clinicId: f.clinicB.id,
      kind: NoticeKind.ProtocolReceived,
      protocolId: '00000000-0000-4000-8000-0000000000aa',
      protocolCode: 'P-TWICE',
      dedupeKey: 'protocol_received:twice',
    };
    const firstRun = await writeTransaction(t.em(), (em) => notices.forClinic(em, change));
    const secondRun = await writeTransaction(t.em(), (em) => notices.forClinics(em, [change, change]));
    expect(firstRun.map((w) => w.userId)).toEqual([f.vetB.id]);
    expect(secondRun).toEqual([]);
    expect(await t.em().count(Notice, { dedupeKey: change.dedupeKey })).toBe(1);

    // A transaction that rolls back leaves no notice.
    await expect(
      writeTransaction(t.em(), async (em) => {
        await notices.forClinic(em, { ...change, dedupeKey: 'rolled-back' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await t.em().count(Notice, { dedupeKey: 'rolled-back' })).toBe(0);
  });
});
