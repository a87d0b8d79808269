import type { INestApplicationContext } from '@nestjs/common';
import { createWorkerContext } from '../../src/bootstrap';
import { OutboxMessage } from '../../src/mail/outbox.entity';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { readyReport } from '../support/reports';
import { recipientsOf, startSmtp, TestSmtp } from '../support/smtp';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { freezeWorker, startWorkerProcess, WorkerProcess } from '../support/worker-process';

/**
 * The API runs here (role api); the sender that dies is a worker child process killed with SIGKILL
 * while SMTP holds its recipients, so its claims stay behind with their leases.
 */
describe('a sender killed mid-send', () => {
  let t: TestApp;
  let f: Fixtures;
  let smtp: TestSmtp;
  let dying: WorkerProcess | undefined;
  let next: INestApplicationContext | undefined;

  beforeAll(async () => {
    smtp = await startSmtp();
    // Claims hold 2 s; a dead worker's Bull job is taken over within a second.
    t = await createTestApp(
      { SMTP_URL: smtp.url, JOB_BACKOFF_MS: '100', JOB_LOCK_MS: '1000', JOB_STALLED_CHECK_MS: '500', MAIL_RETRY_MIN_MS: '200', MAIL_LEASE_MS: '2000' },
      'api',
    );
    f = await seedFixtures(t.em());
  }, 60_000);
  afterAll(async () => {
    await dying?.crash();
    await next?.close();
    await t?.close();
    await smtp?.close();
  }, 60_000);

  it('leaves its mails claimed; once the lease runs out another sender claims them and each arrives once', async () => {
    const [vet, staff, signer] = await Promise.all([f.vetA, f.staff, f.signer].map((u) => tokenFor(t, u)));
    const { protocol, reportId } = await readyReport(t, f, { vet, staff });
    smtp.slow(60_000);
    dying = startWorkerProcess(t.env);
    await dying.ready;
    await t.http().post(`/api/reports/${reportId}/finalize`).set(bearer(signer)).send().expect(202);
    const claimed = await waitUntil(async () => {
      const rows = await t.em().find(OutboxMessage, { subjectId: reportId }, { orderBy: { recipient: 'asc' } });
      return rows.length === 2 && rows.every((r) => r.status === 'sending') ? rows : null;
    }, { ms: 90_000, what: 'both mails claimed by the worker' });
    await dying.crash();
    smtp.slow(0);
    expect(claimed.map((r) => r.attempts)).toEqual([1, 1]);

    next = await createWorkerContext({ ...t.config, role: 'worker' });
    const sent = await waitUntil(async () => {
      const rows = await t.em().find(OutboxMessage, { subjectId: reportId }, { orderBy: { recipient: 'asc' } });
      return rows.every((r) => r.status === 'sent') ? rows : null;
    }, { what: 'the mails sent by the next worker' });
    await new Promise((r) => setTimeout(r, 500));
    expect(sent.map((r) => [r.recipient, r.attempts])).toEqual([
      ['resultados@norte.test', 2],
      ['vet.a@norte.test', 2],
    ]);
    for (const r of sent) expect(smtp.to(r.recipient).filter((m) => m.subject?.includes(protocol.code))).toHaveLength(1);
  }, 180_000);

  /**
   * The window no sender can close (RFC 1047): the server took the message, the sender died before
   * its 250 came back, so nothing says the mail went. The next sender sends it again, as any MTA
   * does; the copy is the same message (same Message-ID, same attachment), so a receiving side that
   * deduplicates on Message-ID shows one. What this pins: nothing else differs, and the row ends
   * sent by the second attempt.
   */
  it('killed after the server accepted the message but before its 250 arrived: sent again with the same Message-ID and attachment', async () => {
    await next?.close();
    next = undefined;
    const [vet, staff, signer] = await Promise.all([f.vetA, f.staff, f.signer].map((u) => tokenFor(t, u)));
    const { protocol, reportId } = await readyReport(t, f, { vet, staff });
    const before = smtp.mails.length;
    smtp.holdReplies(true);
    dying = startWorkerProcess(t.env);
    await dying.ready;
    await t.http().post(`/api/reports/${reportId}/finalize`).set(bearer(signer)).send().expect(202);
    const ofReport = () => smtp.mails.slice(before).filter((m) => m.subject?.includes(protocol.code));
    await waitUntil(() => ofReport().length === 2, { ms: 90_000, what: 'both mails accepted by the server, their 250 held back' });
    await dying.crash();
    smtp.holdReplies(false);
    const claimed = await t.em().find(OutboxMessage, { subjectId: reportId }, { orderBy: { recipient: 'asc' } });
    expect(claimed.map((r) => [r.status, r.attempts])).toEqual([
      ['sending', 1],
      ['sending', 1],
    ]);

    next = await createWorkerContext({ ...t.config, role: 'worker' });
    const sent = await waitUntil(async () => {
      const rows = await t.em().find(OutboxMessage, { subjectId: reportId }, { orderBy: { recipient: 'asc' } });
      return rows.every((r) => r.status === 'sent') ? rows : null;
    }, { what: 'the mails sent again by the next worker' });
    await new Promise((r) => setTimeout(r, 500));
    expect(sent.map((r) => [r.recipient, r.attempts])).toEqual([
      ['resultados@norte.test', 2],
      ['vet.a@norte.test', 2],
    ]);
    for (const r of sent) {
      const copies = ofReport().filter((m) => recipientsOf(m).includes(r.recipient));
      expect(copies.map((m) => m.messageId)).toEqual([r.messageId, r.messageId]);
      const [first, second] = copies.map((m) => m.attachments.map((a) => a.content.toString('base64')));
      expect(first).toHaveLength(1);
      expect(second).toEqual(first);
      expect(copies[1].subject).toBe(copies[0].subject);
    }
  }, 180_000);
});

/**
 * A sender that is alive keeps its claim however long the send takes: it renews its lease while it
 * sends. Here a send outlasts the lease (a slow relay) and the sender is frozen (SIGSTOP) long
 * enough for Bull to hand its job to a second worker; without the renewals that worker would claim
 * the mail once the first lease ran out and send it as well.
 */
describe('a slow sender renews its lease', () => {
  let t: TestApp;
  let f: Fixtures;
  let smtp: TestSmtp;
  let slow: WorkerProcess | undefined;
  let other: INestApplicationContext | undefined;

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await createTestApp(
      // Renewed every third of the lease (~6.7 s): the freeze below (~3 s, more on a busy machine,
      // plus the thaw) stays well inside it. At 10 s a busy CI machine once let it run out.
      { SMTP_URL: smtp.url, JOB_BACKOFF_MS: '100', JOB_LOCK_MS: '1000', JOB_STALLED_CHECK_MS: '500', MAIL_RETRY_MIN_MS: '200', MAIL_LEASE_MS: '20000' },
      'api',
    );
    f = await seedFixtures(t.em());
  }, 60_000);
  afterAll(async () => {
    slow?.child.kill('SIGCONT');
    await slow?.crash();
    await other?.close();
    await t?.close();
    await smtp?.close();
  }, 60_000);

  it('a send longer than the lease, its job taken over by another worker meanwhile: the mail goes once, by the first attempt', async () => {
    const [vet, staff, signer] = await Promise.all([f.vetA, f.staff, f.signer].map((u) => tokenFor(t, u)));
    const { protocol, reportId } = await readyReport(t, f, { vet, staff });
    // Longer than the 20 s lease: without its renewals the other worker would claim it meanwhile.
    smtp.slow(24_000);
    slow = startWorkerProcess(t.env);
    await slow.ready;
    await t.http().post(`/api/reports/${reportId}/finalize`).set(bearer(signer)).send().expect(202);
    await waitUntil(async () => {
      const rows = await t.em().find(OutboxMessage, { subjectId: reportId });
      return rows.length === 2 && rows.every((r) => r.status === 'sending');
    }, { ms: 90_000, what: 'both mails claimed by the slow worker' });
    other = await createWorkerContext({ ...t.config, role: 'worker' });
    // Frozen past its Bull lock (1 s), well within its last renewed lease: its jobs go to the other worker.
    await freezeWorker(slow);
    await new Promise((r) => setTimeout(r, 2500));
    slow.child.kill('SIGCONT');
    // The takeover happened while the first attempt was still on the wire (else this tests nothing).
    const during = await t.em().find(OutboxMessage, { subjectId: reportId });
    expect(during.map((r) => r.status)).toEqual(['sending', 'sending']);

    const sent = await waitUntil(async () => {
      const rows = await t.em().find(OutboxMessage, { subjectId: reportId }, { orderBy: { recipient: 'asc' } });
      return rows.every((r) => r.status === 'sent') ? rows : null;
    }, { ms: 60_000, what: 'the mails sent' });
    // One claim each: a second sender would have claimed it (attempts 2), and a claim taken over
    // makes the first sender's "sent" write fail, so the row would be sent by the second attempt.
    expect(sent.map((r) => [r.recipient, r.attempts])).toEqual([
      ['resultados@norte.test', 1],
      ['vet.a@norte.test', 1],
    ]);
    for (const r of sent) expect(smtp.to(r.recipient).filter((m) => m.subject?.includes(protocol.code))).toHaveLength(1);
  }, 180_000);
});
