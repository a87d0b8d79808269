import { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { computeFlag, ProtocolStatus, ReportVersionStatus, Role } from '@vetlab/shared';
import { Analyte } from '../../src/catalogue/analyte.entity';
import { DEMO_ANALYTES } from '../../src/catalogue/demo-catalogue';
import { Panel } from '../../src/catalogue/panel.entity';
import { Clinic } from '../../src/clinics/clinic.entity';
import { ConfigError } from '../../src/config/app-config';
import { mikroOrmOptions } from '../../src/database/mikro-orm.config';
import { Protocol, ProtocolCounter } from '../../src/protocols/protocol.entity';
import { ReportVersion } from '../../src/reports/report-version.entity';
import { ResultRow } from '../../src/reports/result-row.entity';
import { rangeFor } from '../../src/reports/result-values';
import { runSeed, SEED_BASE_DATE, SeedResult } from '../../src/seed/seed.command';
import { User } from '../../src/users/user.entity';
import { buildSections } from '../../src/work-orders/work-order-sections';
import { WorkOrder } from '../../src/work-orders/work-order.entity';
import { createTestEnv } from '../support/test-app';
import { LocalFileStorage } from '../../src/storage/local-file-storage';
import { readSignature } from '../../src/signatures/signature-image';

type Env = Awaited<ReturnType<typeof createTestEnv>>;
const quiet = () => undefined;

/** Protocol status → per-version facts, in one query over the whole database. */
interface VersionFacts {
  code: string;
  status: ProtocolStatus;
  version_status: ReportVersionStatus;
  signer_id: string | null;
  finalized_at: unknown;
  rows: number;
  valued: number;
}

describe('seed (demo profile)', () => {
  let env: Env;
  let orm: MikroORM;
  let em: SqlEntityManager;
  let result: SeedResult;

  beforeAll(async () => {
    env = await createTestEnv();
    result = await runSeed(env.config, [], quiet);
    orm = await MikroORM.init(mikroOrmOptions(env.config.database));
    em = orm.em.fork() as SqlEntityManager;
  }, 60_000);
  afterAll(async () => {
    await orm?.close(true);
    await env?.cleanup();
  });

  it('writes the people: 4 clinics, 8 vets, 4 staff of whom 2 sign with a PNG signature, 1 admin', async () => {
    expect(result.skipped).toBe(false);
    expect(await em.count(Clinic, {})).toBe(4);
    const clinics = await em.find(Clinic, {});
    for (const c of clinics) expect(c.resultEmails.length).toBeGreaterThan(0);
    const vets = await em.find(User, { role: Role.Vet }, { populate: ['clinic'] });
    expect(vets).toHaveLength(8);
    for (const c of clinics) expect(vets.filter((v) => v.clinic?.id === c.id)).toHaveLength(2);
    const staff = await em.find(User, { role: Role.Staff }, { populate: ['signaturePng', 'passwordHash'] });
    expect(staff).toHaveLength(4);
    const signers = staff.filter((s) => s.signer);
    expect(signers).toHaveLength(2);
    // Stored through the signatures' own normalization and file storage, like an admin's upload.
    const files = LocalFileStorage.forConfig(env.config);
    for (const s of signers) {
      expect(s.signatureKey).toMatch(new RegExp(`^signatures/${s.id}/[0-9a-f]{16}\\.png$`));
      expect((await readSignature(files, s.signatureKey!))?.subarray(1, 4).toString('ascii')).toBe('PNG');
      expect(s.signaturePng).toBeNull();
    }
    for (const s of staff.filter((x) => !x.signer)) expect([s.signaturePng, s.signatureKey]).toEqual([null, null]);
    // Finalized versions print the image their signer had then.
    const finalized = await em.find(ReportVersion, { signer: { $ne: null } }, { limit: 20 });
    expect(finalized.length).toBeGreaterThan(0);
    for (const v of finalized) expect(v.signatureKey).toBe(signers.find((s) => s.id === v.signer?.id)?.signatureKey);
    expect(staff[0].passwordHash).toMatch(/^\$argon2id\$/);
    expect(await em.count(User, { role: Role.Admin })).toBe(1);
  });

  it('writes the catalogue: ~80 analytes in every section with per-species ranges, and panels', async () => {
    const analytes = await em.find(Analyte, {});
    expect(analytes.length).toBe(DEMO_ANALYTES.length);
    expect(analytes.length).toBeGreaterThanOrEqual(75);
    expect(new Set(analytes.map((a) => a.section)).size).toBe(7);
    for (const a of analytes) expect(a.ranges.map((r) => r.species).sort()).toEqual(['cat', 'cow', 'dog', 'horse']);
    const panels = await em.find(Panel, {}, { populate: ['analytes'] });
    expect(panels.length).toBeGreaterThanOrEqual(12);
    const hemo = panels.find((p) => p.code === 'HEMO')!;
    expect(hemo.analytes.getItems()[0].code).toBe('HTO');
  });

  it('writes 500 protocols in every status, numbered in order, the counter at the last number', async () => {
    expect(await em.count(Protocol, {})).toBe(500);
    for (const s of Object.values(ProtocolStatus)) expect(result.byStatus[s]).toBeGreaterThan(0);
    const protocols = await em.find(Protocol, {}, { orderBy: { code: 'asc' } });
    const codes = protocols.map((p) => p.code);
    expect(codes[0]).toMatch(/^P-\d{4}-000001$/);
    expect(codes.every((c) => /^P-\d{4}-\d{6}$/.test(c))).toBe(true);
    for (let i = 1; i < protocols.length; i++) expect(protocols[i].createdAt >= protocols[i - 1].createdAt).toBe(true);
    expect(protocols.every((p) => p.createdAt <= SEED_BASE_DATE)).toBe(true);
    expect(protocols.some((p) => SEED_BASE_DATE.getTime() - p.createdAt.getTime() > 60 * 24 * 3600_000)).toBe(true);
    const counters = await em.find(ProtocolCounter, {});
    const maxByYear = new Map<number, number>();
    for (const c of codes) maxByYear.set(Number(c.slice(2, 6)), Math.max(maxByYear.get(Number(c.slice(2, 6))) ?? 0, Number(c.slice(7))));
    expect(Object.fromEntries(counters.map((c) => [c.year, c.value]))).toEqual(Object.fromEntries(maxByYear));
  });

  it('gives each protocol what its status implies', async () => {
    const facts: VersionFacts[] = await em.getConnection().execute(`
      select p.code, p.status, v.status as version_status, v.signer_id, v.finalized_at,
             count(r.id) as rows, count(r.value) as valued
      from protocols p
      join reports rep on rep.protocol_id = p.id
      join report_versions v on v.report_id = rep.id and v.number = 1
      join work_orders w on w.protocol_id = p.id
      join result_rows r on r.version_id = v.id
      group by p.code, p.status, v.status, v.signer_id, v.finalized_at`);
    expect(facts).toHaveLength(500);
    const signerIds = new Set((await em.find(User, { signer: true })).map((u) => u.id));
    for (const f of facts) {
      const [rows, valued] = [Number(f.rows), Number(f.valued)];
      expect(rows).toBeGreaterThan(0);
      if (f.status === ProtocolStatus.Reported) {
        expect([f.version_status, signerIds.has(f.signer_id!), f.finalized_at != null, valued]).toEqual([ReportVersionStatus.Finalized, true, true, rows]);
      } else {
        expect([f.code, f.version_status, f.signer_id]).toEqual([f.code, ReportVersionStatus.Draft, null]);
      }
      if (f.status === ProtocolStatus.Submitted || f.status === ProtocolStatus.Received || f.status === ProtocolStatus.Rejected) {
        expect([f.code, valued]).toEqual([f.code, 0]);
      }
      if (f.status === ProtocolStatus.InAnalysis) expect(valued).toBeGreaterThan(0);
    }
    const inAnalysis = facts.filter((f) => f.status === ProtocolStatus.InAnalysis);
    const complete = inAnalysis.filter((f) => Number(f.valued) === Number(f.rows));
    expect(complete.length / inAnalysis.length).toBeGreaterThan(0.5);

    const rejected = await em.find(Protocol, { status: ProtocolStatus.Rejected });
    for (const p of rejected) expect(p.rejectionReason).toEqual(expect.any(String));
    const received = await em.find(Protocol, { status: { $in: [ProtocolStatus.Received, ProtocolStatus.InAnalysis, ProtocolStatus.Reported] } });
    for (const p of received) expect([p.code, p.receivedAt != null, p.receivedBy != null]).toEqual([p.code, true, true]);
    for (const p of await em.find(Protocol, { status: ProtocolStatus.Submitted })) expect(p.receivedAt).toBeNull();
  });

  it('stores rows as intake and result entry do: print order, species range, flag judged from the value', async () => {
    const versions = await em.find(
      ReportVersion,
      { status: ReportVersionStatus.Finalized },
      { populate: ['rows', 'rows.analyte', 'report.protocol.panels.analytes'], limit: 25, orderBy: { id: 'asc' } },
    );
    const flags = new Set<string | null>();
    for (const v of versions) {
      const protocol = v.report.protocol;
      const rows = v.rows.getItems();
      expect(rows.map((r) => r.position)).toEqual(rows.map((_, i) => i + 1));
      for (const row of rows) {
        expect(row.range).toEqual(rangeFor(row.analyte, protocol.species));
        expect(row.flag).toBe(computeFlag(row.analyte.kind, row.value, row.range));
        flags.add(row.flag);
      }
      const wo = await em.findOneOrFail(WorkOrder, { protocol: protocol.id });
      expect(wo.sections).toEqual(buildSections(protocol.panels.getItems().flatMap((p) => p.analytes.getItems())));
      expect(rows.map((r) => r.analyte.code)).toEqual(wo.sections.flatMap((s) => s.analytes.map((a) => a.code)));
    }
    expect([...flags].sort()).toEqual(expect.arrayContaining(['high', 'low', 'normal', 'abnormal']));
    expect(await em.count(ResultRow, { flag: { $ne: null } })).toBeGreaterThan(1000);
  });

  it('skips with --if-empty and refuses to seed over data without --reset', async () => {
    const again = await runSeed(env.config, ['--if-empty'], quiet);
    expect(again.skipped).toBe(true);
    await expect(runSeed(env.config, [], quiet)).rejects.toThrow(ConfigError);
    await expect(runSeed(env.config, [], quiet)).rejects.toThrow(/--reset/);
    expect(await em.fork().count(Protocol, {})).toBe(500);
  });

  it('writes the same data on every run', async () => {
    const other = await createTestEnv();
    const orm2 = await (async () => {
      await runSeed(other.config, [], quiet);
      return MikroORM.init(mikroOrmOptions(other.config.database));
    })();
    try {
      const snapshot = async (o: MikroORM) =>
        (await o.em.fork().find(Protocol, {}, { orderBy: { code: 'asc' } })).map((p) => [p.code, p.animalName, p.status, p.createdAt.toISOString()].join('|'));
      expect(await snapshot(orm2)).toEqual(await snapshot(orm));
    } finally {
      await orm2.close(true);
      await other.cleanup();
    }
  }, 60_000);
});
