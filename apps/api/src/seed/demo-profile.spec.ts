import { ProtocolStatus, Species } from '@vetlab/shared';
import { planBenchProtocols, BENCH_DRAFTS, BENCH_SUBMITTED } from './bench-profile';
import { DEMO_CLINICS } from './demo-people';
import { planDemoProtocols } from './demo-profile';
import { Prng } from './prng';
import { ProtocolPlan } from './protocol-factory';
import { buildCatalogue, BENCH_PANEL_ROWS } from './seed-catalogue';
import { SeedPeople } from './seed-people';

const BASE = new Date('2026-11-27T17:30:00Z');

function people(): SeedPeople {
  let n = 0;
  const id = () => `user-${++n}`;
  return {
    clinics: DEMO_CLINICS.map((c) => ({ ...c, id: id(), vetIds: [id(), id()] })),
    technicianIds: [id(), id()],
    signerIds: [id(), id()],
    adminId: id(),
    names: new Map(),
  };
}

const plan = (seed = 'demo') => planDemoProtocols(new Prng(seed), people(), buildCatalogue(new Prng('ids'), false), BASE, 500);
const times = (p: ProtocolPlan) => [p.createdAt, p.received?.at, p.analysis?.at, p.finalized?.at].filter((d): d is Date => !!d).map((d) => d.getTime());

describe('demo protocol plans', () => {
  const plans = plan();

  it('covers every status over about 90 days before the base date', () => {
    const statuses = new Set(plans.map((p) => p.status));
    expect([...statuses].sort()).toEqual(Object.values(ProtocolStatus).sort());
    const oldest = Math.min(...plans.map((p) => p.createdAt.getTime()));
    expect((BASE.getTime() - oldest) / 86_400_000).toBeGreaterThan(60);
    expect((BASE.getTime() - oldest) / 86_400_000).toBeLessThanOrEqual(91);
  });

  it('tells each protocol story in order, never after the base date', () => {
    for (const p of plans) {
      const t = times(p);
      expect([...t].sort((a, b) => a - b)).toEqual(t);
      expect(Math.max(...t, p.rejected?.at.getTime() ?? 0)).toBeLessThanOrEqual(BASE.getTime());
    }
  });

  it('matches the status with what happened', () => {
    for (const p of plans) {
      const facts = { received: !!p.received, analysis: !!p.analysis, finalized: !!p.finalized, rejected: !!p.rejected };
      const expected = {
        submitted: { received: false, analysis: false, finalized: false, rejected: false },
        received: { received: true, analysis: false, finalized: false, rejected: false },
        in_analysis: { received: true, analysis: true, finalized: false, rejected: false },
        reported: { received: true, analysis: true, finalized: true, rejected: false },
        rejected: { received: facts.received, analysis: false, finalized: false, rejected: true },
      }[p.status];
      expect(facts).toEqual(expected);
      if (p.status === ProtocolStatus.Reported) expect(p.fill).toBe(1);
      if (p.status === ProtocolStatus.InAnalysis) expect(p.fill).toBeGreaterThan(0);
      if (([ProtocolStatus.Submitted, ProtocolStatus.Received, ProtocolStatus.Rejected] as ProtocolStatus[]).includes(p.status)) expect(p.fill).toBe(0);
    }
    const inAnalysis = plans.filter((p) => p.status === ProtocolStatus.InAnalysis);
    expect(inAnalysis.filter((p) => p.fill === 1).length).toBeGreaterThan(inAnalysis.length / 2);
  });

  it('numbers protocols in arrival order per year and picks panels usual for the species', () => {
    plans.forEach((p, i) => {
      if (i > 0) expect(p.createdAt >= plans[i - 1].createdAt).toBe(true);
      expect(p.number).toBe(plans.filter((q, j) => j <= i && q.year === p.year).length);
      for (const panel of p.panels) expect(panel.species).toContain(p.species);
      expect(new Set(p.panels).size).toBe(p.panels.length);
      expect(p.clinic.vetIds.includes(p.vetId ?? p.clinic.vetIds[0])).toBe(true);
    });
  });

  it('is the same for the same seed', () => {
    const again = plan();
    expect(again.map((p) => [p.number, p.status, p.createdAt.toISOString(), p.species])).toEqual(plans.map((p) => [p.number, p.status, p.createdAt.toISOString(), p.species]));
    expect(plan('other').map((p) => p.status)).not.toEqual(plans.map((p) => p.status));
  });
});

describe('bench protocol plans', () => {
  it('has the submitted backlog and complete drafts sized 2, 5 and 20 pages', () => {
    const catalogue = buildCatalogue(new Prng('ids'), true);
    const plans = planBenchProtocols(new Prng('bench'), people(), catalogue, BASE);
    expect(plans.filter((p) => p.status === ProtocolStatus.Submitted)).toHaveLength(BENCH_SUBMITTED);
    const drafts = plans.filter((p) => p.status === ProtocolStatus.InAnalysis);
    for (const [pages, count] of Object.entries(BENCH_DRAFTS)) {
      const sized = drafts.filter((p) => p.panels[0].analytes.length === BENCH_PANEL_ROWS[Number(pages)]);
      expect(sized).toHaveLength(count);
    }
    expect(drafts.every((p) => p.fill === 1 && p.received && p.analysis && Object.values(Species).includes(p.species))).toBe(true);
    expect(new Set(plans.map((p) => `${p.year}-${p.number}`)).size).toBe(plans.length);
  });
});
