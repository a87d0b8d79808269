import { AnalyteKind, computeFlag, Priority, ProtocolStatus, ReportVersionStatus, Species } from '@vetlab/shared';
import { AuditLog } from '../audit/audit-log.entity';
import { Protocol } from '../protocols/protocol.entity';
import { ReportVersion } from '../reports/report-version.entity';
import { ResultRow } from '../reports/result-row.entity';
import { WorkOrder } from '../work-orders/work-order.entity';
import { DEMO_CLINICS } from './demo-people';
import { Prng } from './prng';
import { drawValue, ProtocolPlan, writeProtocol } from './protocol-factory';
import { buildCatalogue } from './seed-catalogue';
import { RowSink } from './seed-writer';

type Row = Record<string, unknown>;

function recorder() {
  const tables = new Map<unknown, Row[]>();
  const sink: RowSink = {
    add(target: unknown, row: Row) {
      tables.set(target, [...(tables.get(target) ?? []), row]);
    },
  };
  return { sink, rows: (t: unknown) => tables.get(t) ?? [] };
}

const catalogue = buildCatalogue(new Prng('ids'), false);
const panel = (code: string) => catalogue.panels.find((p) => p.code === code)!;
const at = (h: number) => new Date(Date.UTC(2026, 10, 20, h));

function basePlan(over: Partial<ProtocolPlan> = {}): ProtocolPlan {
  return {
    year: 2026,
    number: 42,
    createdAt: at(8),
    clinic: { ...DEMO_CLINICS[0], id: 'clinic-1', vetIds: ['vet-1', 'vet-2'] },
    vetId: 'vet-1',
    createdById: 'vet-1',
    species: Species.Dog,
    panels: [panel('ORINA'), panel('HEMO')],
    priority: Priority.Routine,
    status: ProtocolStatus.Submitted,
    fill: 0,
    sickness: 0.3,
    ...over,
  };
}

describe('writeProtocol', () => {
  it('writes a submitted protocol as intake does: work order, report, draft version 1, empty rows in print order', () => {
    const { sink, rows } = recorder();
    const out = writeProtocol(sink, basePlan(), new Prng(1), new Prng(2));
    expect(out.code).toBe('P-2026-000042');
    const [p] = rows(Protocol);
    expect(p).toMatchObject({ code: 'P-2026-000042', status: 'submitted', version: 1, receivedAt: null, species: 'dog' });
    expect(p.searchText).toContain('p-2026-000042');
    expect(rows('protocol_panels')).toHaveLength(2);
    const [wo] = rows(WorkOrder);
    const sections = (wo.sections as { section: string }[]).map((s) => s.section);
    expect(sections[0]).toBe('hemograma'); // print order, not request order
    expect(sections).toContain('urianalisis');
    const [v] = rows(ReportVersion);
    expect(v).toMatchObject({ number: 1, status: ReportVersionStatus.Draft, signer: null, lockVersion: 1 });
    const rr = rows(ResultRow);
    expect(rr).toHaveLength(out.rows);
    expect(rr.map((r) => r.position)).toEqual(rr.map((_, i) => i + 1));
    expect(rr.every((r) => r.value === null && r.flag === null && r.range != null)).toBe(true);
    expect(rows(AuditLog)).toHaveLength(1);
  });

  it('writes a reported protocol with every value, its flag, the signer and the audit trail', () => {
    const { sink, rows } = recorder();
    const plan = basePlan({
      status: ProtocolStatus.Reported,
      received: { at: at(10), by: 'tech-1' },
      analysis: { at: at(12), by: 'tech-2' },
      finalized: { at: at(20), by: 'signer-1' },
      fill: 1,
      sickness: 1,
    });
    writeProtocol(sink, plan, new Prng(3), new Prng(4));
    expect(rows(Protocol)[0]).toMatchObject({ status: 'reported', version: 4, receivedBy: 'tech-1', updatedAt: at(20) });
    expect(rows(ReportVersion)[0]).toMatchObject({ status: 'finalized', signer: 'signer-1', finalizedAt: at(20) });
    const byAnalyte = new Map(catalogue.analytes.map((a) => [a.id, a]));
    for (const r of rows(ResultRow)) {
      const a = byAnalyte.get(r.analyte as string)!;
      expect(r.value).toEqual(expect.any(String));
      expect(r.flag).toBe(computeFlag(a.kind, r.value as string, r.range as never));
      expect(r.numericValue == null).toBe(a.kind === AnalyteKind.Qualitative);
    }
    expect(rows(AuditLog).map((e) => (e.after as { status: string }).status)).toEqual(['submitted', 'received', 'in_analysis', 'reported']);
  });

  it('fills part of a draft in print order', () => {
    const { sink, rows } = recorder();
    writeProtocol(sink, basePlan({ status: ProtocolStatus.InAnalysis, received: { at: at(9), by: 't' }, analysis: { at: at(10), by: 't' }, fill: 0.5 }), new Prng(5), new Prng(6));
    const values = rows(ResultRow).map((r) => r.value != null);
    const filled = values.filter(Boolean).length;
    expect(filled).toBeGreaterThan(0);
    expect(values).toEqual(values.map((_, i) => i < filled));
  });

  it('records a rejection with its reason', () => {
    const { sink, rows } = recorder();
    writeProtocol(sink, basePlan({ status: ProtocolStatus.Rejected, rejected: { at: at(9), by: 't', reason: 'Muestra hemolizada' } }), new Prng(7), new Prng(8));
    expect(rows(Protocol)[0]).toMatchObject({ status: 'rejected', rejectionReason: 'Muestra hemolizada', version: 2 });
    expect(rows(AuditLog)[1]).toMatchObject({ before: { status: 'submitted' }, after: { status: 'rejected', rejectionReason: 'Muestra hemolizada' } });
  });
});

describe('drawValue', () => {
  const numeric = { kind: AnalyteKind.Numeric, decimals: 1 };
  const range = { low: 37, high: 55 };

  it('stays mostly inside the range for a healthy animal and strays more for a sick one', () => {
    const share = (sickness: number) => {
      const r = new Prng(`s${sickness}`);
      const n = 4000;
      let out = 0;
      for (let i = 0; i < n; i++) if (computeFlag(AnalyteKind.Numeric, drawValue(r, numeric, range, sickness), range) !== 'normal') out++;
      return out / n;
    };
    expect(share(0)).toBeLessThan(0.1);
    expect(share(1)).toBeGreaterThan(0.3);
  });

  it('gives both low and high values, never negative ones, with the analyte decimals', () => {
    const r = new Prng('lh');
    const flags = new Set<string | null>();
    for (let i = 0; i < 2000; i++) {
      const v = drawValue(r, numeric, range, 1);
      expect(v).toMatch(/^\d+\.\d$/);
      flags.add(computeFlag(AnalyteKind.Numeric, v, range));
    }
    expect([...flags].sort()).toEqual(['high', 'low', 'normal']);
    for (let i = 0; i < 500; i++) expect(Number(drawValue(r, { kind: AnalyteKind.Numeric, decimals: 2 }, { low: 0, high: 0.3 }, 1))).toBeGreaterThanOrEqual(0);
  });

  it('answers qualitative analytes with the expected value or one of the others', () => {
    const r = new Prng('q');
    const seen = new Set<string>();
    const analyte = { kind: AnalyteKind.Qualitative, decimals: 0, answers: ['negativo', 'trazas', '+'] };
    for (let i = 0; i < 500; i++) seen.add(drawValue(r, analyte, { expected: 'negativo' }, 1));
    expect([...seen].sort()).toEqual(['+', 'negativo', 'trazas']);
  });
});
