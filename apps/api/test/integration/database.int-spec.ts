import { createTestApp, TestApp } from '../support/test-app';
import { testDriver } from '../support/services';
import { Clinic } from '../../src/clinics/clinic.entity';

describe('database', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('applied every committed migration at boot and has nothing pending', async () => {
    const migrator = t.orm.getMigrator();
    expect(await migrator.getPendingMigrations()).toHaveLength(0);
    expect((await migrator.getExecutedMigrations()).length).toBeGreaterThan(0);
  });

  it('the schema matches the entities (no migration is missing)', async () => {
    const diff = await t.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
  });

  it('loading an entity and flushing writes nothing (dates compare equal after a round trip)', async () => {
    const em = t.em();
    em.create(Clinic, { name: 'Clínica de ida y vuelta', resultEmails: [] });
    await em.flush();
    const fresh = t.em();
    await fresh.findOneOrFail(Clinic, { name: 'Clínica de ida y vuelta' });
    const uow = fresh.getUnitOfWork();
    uow.computeChangeSets();
    expect(uow.getChangeSets()).toHaveLength(0);
  });

  if (testDriver() === 'sqlite') {
    it('runs SQLite in WAL mode', async () => {
      const [row] = await t.em().getConnection().execute<{ journal_mode: string }[]>('pragma journal_mode');
      expect(row.journal_mode).toBe('wal');
    });
  }
});
