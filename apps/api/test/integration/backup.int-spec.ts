import { AuditEntryView, FinalizeAccepted, JobView } from '@vetlab/shared';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackupManifest } from '../../src/backup/backup-manifest';
import { Protocol } from '../../src/protocols/protocol.entity';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, PASSWORD, seedFixtures } from '../support/fixtures';
import { runMain } from '../support/main-process';
import { getRaw, sha256 } from '../support/pdf-http';
import { protocolBody, submitProtocol } from '../support/protocols';
import { readyReport } from '../support/reports';
import { testDriver } from '../support/services';
import { startSmtp, TestSmtp } from '../support/smtp';
import { createTestApp, createTestEnv, startTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

describe('a backup taken while vetlab runs, restored onto a new deployment', () => {
  let t: TestApp;
  let f: Fixtures;
  let smtp: TestSmtp;
  const tok = { signer: '', staff: '', vet: '', admin: '' };
  const folders = mkdtempSync(join(tmpdir(), 'vetlab-backups-'));

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await createTestApp({ SMTP_URL: smtp.url, WORK_ORDER_PDF_PRERENDER: 'false' });
    f = await seedFixtures(t.em());
    [tok.signer, tok.staff, tok.vet, tok.admin] = await Promise.all([f.signer, f.staff, f.vetA, f.admin].map((u) => tokenFor(t, u)));
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    rmSync(folders, { recursive: true, force: true });
  });

  it('holds the database as it was at one moment, though protocols kept coming, and every file it refers to; the restored lab serves the same PDF', async () => {
    const { reportId } = await readyReport(t, f, { vet: tok.vet, staff: tok.staff });
    const { jobId } = (await t.http().post(`/api/reports/${reportId}/finalize`).set(bearer(tok.signer)).send().expect(202)).body as FinalizeAccepted;
    await waitUntil(async () => ((await t.http().get(`/api/jobs/${jobId}`).set(bearer(tok.signer))).body as JobView).state === 'completed', { what: 'the finalize' });
    const pdf = await getRaw(t, `/api/reports/${reportId}/pdf`, tok.vet);
    expect(pdf.status).toBe(200);

    // A vet submits protocols one after the other the whole time the backup runs.
    const countProtocols = () => t.em().count(Protocol);
    const before = await countProtocols();
    let writing = true;
    const writer = (async () => {
      while (writing) await submitProtocol(t, tok.vet, protocolBody(f, { animal: { name: 'Copito', species: 'cat', sex: 'female' } }));
    })();
    await waitUntil(async () => (await countProtocols()) > before, { what: 'the first protocol of the writer' });
    const folder = join(folders, 'first');
    const backup = await runMain(['backup', `--to=${folder}`], t.env);
    writing = false;
    await writer;
    expect([backup.code, backup.output]).toEqual([0, expect.stringContaining('backup: done')]);
    const after = await countProtocols();

    const manifest = JSON.parse(readFileSync(join(folder, 'backup.json'), 'utf8')) as BackupManifest;
    expect(manifest).toMatchObject({ format: 1, database: { driver: testDriver(), lastMigration: expect.stringMatching(/^Migration\d+/) }, secret: false });
    expect(manifest.files!.count).toBeGreaterThanOrEqual(1); // the report's PDF at least
    // The live lab's trail says a backup was taken, and where to (written after the copy).
    const backupTrail = async (app: TestApp) => ((await app.http().get('/api/audit?entity=backup').set(bearer(tok.admin)).expect(200)).body as { items: AuditEntryView[] }).items;
    expect(await backupTrail(t)).toEqual([
      expect.objectContaining({ actor: null, entityId: manifest.id, action: 'backup', label: 'first', after: { folder, lastMigration: manifest.database.lastMigration, files: manifest.files!.count, bytes: manifest.files!.bytes } }),
    ]);

    // Backing up into a folder that holds anything is refused.
    const again = await runMain(['backup', `--to=${folder}`], t.env);
    expect([again.code, again.output]).toEqual([1, expect.stringContaining('is not empty')]);

    // A new deployment: an empty database, a data folder and a Redis prefix of its own, the same JWT_SECRET.
    const target = await createTestEnv({ SMTP_URL: smtp.url, WORK_ORDER_PDF_PRERENDER: 'false', JWT_SECRET: t.env.JWT_SECRET }, 'all', { freshDatabase: true });
    const notABackup = join(folders, 'half');
    mkdirSync(notABackup);
    writeFileSync(join(notABackup, 'vetlab.sqlite'), '');
    const refused = await runMain(['restore', `--from=${notABackup}`], target.env);
    expect([refused.code, refused.output]).toEqual([1, expect.stringContaining('has no backup.json')]);
    writeFileSync(join(notABackup, 'backup.json'), '{"format": 1, "datab');
    const garbled = await runMain(['restore', `--from=${notABackup}`], target.env);
    expect([garbled.code, garbled.output]).toEqual([1, expect.stringContaining('is not readable as JSON')]);

    const restore = await runMain(['restore', `--from=${folder}`], target.env);
    expect([restore.code, restore.output]).toEqual([0, expect.stringContaining('restore: done')]);
    // Once restored, a second restore would overwrite a database: refused, nothing changed.
    const twice = await runMain(['restore', `--from=${folder}`], target.env);
    expect([twice.code, twice.output]).toEqual([1, expect.stringMatching(testDriver() === 'sqlite' ? /exists; stop vetlab/ : /tables; restore into a new, empty database/)]);

    const r = await startTestApp(target);
    try {
      // One moment's database: the protocols up to some point of the writer's run, all of them whole.
      const restored = await r.em().count(Protocol);
      expect(restored).toBeGreaterThan(before);
      expect(restored).toBeLessThanOrEqual(after);
      // The same PDF, byte for byte, under the same ETag, for the same vet's session.
      const same = await getRaw(r, `/api/reports/${reportId}/pdf`, tok.vet);
      expect([same.status, sha256(same.body), same.headers.etag]).toEqual([200, sha256(pdf.body), pdf.headers.etag]);
      // Passwords, and the text search's index, came along.
      await r.http().post('/api/auth/login').send({ email: f.vetA.email, password: PASSWORD }).expect(200);
      const found = (await r.http().get('/api/protocols?q=Copito').set(bearer(tok.vet)).expect(200)).body as { total: number };
      expect(found.total).toBe(restored - before);
      // The restored trail's newest entry names the backup and its moment; the backup's own entry came after the copy.
      expect(await backupTrail(r)).toEqual([
        expect.objectContaining({ actor: null, entityId: manifest.id, action: 'restore', label: 'first', after: { folder, takenAt: manifest.createdAt, lastMigration: manifest.database.lastMigration } }),
      ]);
    } finally {
      await r.close();
    }
  }, 120_000);
});
