import { OutboxMessage } from '../../src/mail/outbox.entity';
import { bearer, tokenFor } from '../support/auth';
import { appWithDatabaseOutage, DatabaseOutage } from '../support/database-outage';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { readyReport } from '../support/reports';
import { startSmtp, TestSmtp } from '../support/smtp';
import { TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { startWorkerProcess, WorkerProcess } from '../support/worker-process';

jest.setTimeout(120_000);

/** Leases of 4 s: a mail left `sending` by a sender that gave up would be claimed and sent again within seconds. */
const LEASE_MS = 4000;

/**
 * The one moment a mail can go twice: the server has taken it, and the database that must record
 * "sent" is away (PostgreSQL cut by a proxy; SQLite's write lock held by another connection). The
 * sender keeps trying to record it while its lease holds; had it given up, the row would stay
 * `sending` and the next sender would mail it again once the lease ran out.
 */
describe('a mail the server took while the database is away', () => {
  let outage: DatabaseOutage;
  let t: TestApp;
  let f: Fixtures;
  let smtp: TestSmtp;
  let worker: WorkerProcess;

  beforeAll(async () => {
    smtp = await startSmtp();
    outage = await appWithDatabaseOutage({
      SMTP_URL: smtp.url,
      MAIL_LEASE_MS: String(LEASE_MS),
      MAIL_RETRY_MIN_MS: '200',
      JOB_BACKOFF_MS: '100',
      JOB_LOCK_MS: '1500',
      JOB_STALLED_CHECK_MS: '500',
    });
    t = outage.t;
    f = await seedFixtures(t.em());
    worker = startWorkerProcess(outage.workerEnv);
    await worker.ready;
  }, 90_000);
  afterAll(async () => {
    smtp?.holdReplies(false);
    await worker?.crash();
    await outage?.close();
    await smtp?.close();
  });

  it("is recorded as sent once the database is back, by the same attempt: one copy per recipient, even after its lease ran out", async () => {
    const [vet, staff, signer] = await Promise.all([f.vetA, f.staff, f.signer].map((u) => tokenFor(t, u)));
    const { protocol, reportId } = await readyReport(t, f, { vet, staff });
    const ofReport = () => smtp.mails.filter((m) => m.subject?.includes(protocol.code));
    smtp.holdReplies(true);
    await t.http().post(`/api/reports/${reportId}/finalize`).set(bearer(signer)).send().expect(202);
    const rows = await waitUntil(
      async () => {
        const found = await t.em().find(OutboxMessage, { subjectId: reportId });
        return found.length > 0 && ofReport().length === found.length ? found : null;
      },
      { ms: 60_000, what: "every mail of the report taken by the server, its 250 held back" },
    );

    // The database goes away, then the server's answers arrive: "sent" cannot be written.
    outage.cut();
    smtp.holdReplies(false);
    // "mail … was sent; recording it failed …, trying again" (or, giving up, "… was sent but could not be recorded").
    await waitUntil(() => / was sent[;,] | was sent but /.test(worker.output()), { ms: 20_000, what: 'the sender failing to record a sent mail' });
    await new Promise((r) => setTimeout(r, 1000));
    outage.restore();

    const sent = await waitUntil(
      async () => {
        const found = await t.em().find(OutboxMessage, { subjectId: reportId }, { orderBy: { recipient: 'asc' } });
        return found.every((r) => r.status === 'sent') ? found : null;
      },
      { ms: 30_000, what: 'the mails recorded as sent' },
    );
    // Past the lease a sender would have taken to send it again.
    await new Promise((r) => setTimeout(r, LEASE_MS + 1000));
    expect(sent.map((r) => [r.recipient, r.attempts])).toEqual(rows.map((r) => [r.recipient, 1]).sort());
    for (const r of sent) expect(smtp.to(r.recipient).filter((m) => m.subject?.includes(protocol.code))).toHaveLength(1);
    expect(ofReport()).toHaveLength(rows.length);
  });
});
