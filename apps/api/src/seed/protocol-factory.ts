import {
  AnalyteKind,
  AuditAction,
  Priority,
  ProtocolStatus,
  ReferenceRange,
  ReportVersionStatus,
  SampleType,
  Species,
} from '@vetlab/shared';
import { AuditLog } from '../audit/audit-log.entity';
import { formatProtocolCode } from '../protocols/protocol-codes';
import { Protocol } from '../protocols/protocol.entity';
import { ReportVersion } from '../reports/report-version.entity';
import { Report } from '../reports/report.entity';
import { ResultRow } from '../reports/result-row.entity';
import { rangeFor, resultFields } from '../reports/result-values';
import { buildSections, orderAnalytes } from '../work-orders/work-order-sections';
import { WorkOrder } from '../work-orders/work-order.entity';
import { CLINICAL_NOTES, drawAnimal, OBSERVATIONS_ABNORMAL, OBSERVATIONS_NORMAL } from './animals';
import { Prng } from './prng';
import { SeedAnalyte, SeedPanel } from './seed-catalogue';
import { SeedClinic } from './seed-people';
import { RowSink } from './seed-writer';

/** Everything that decides a protocol's story; the factory fills in the details. */
export interface ProtocolPlan {
  year: number;
  number: number;
  createdAt: Date;
  clinic: SeedClinic;
  vetId: string | null;
  createdById: string;
  species: Species;
  panels: SeedPanel[];
  priority: Priority;
  status: ProtocolStatus;
  received?: { at: Date; by: string };
  analysis?: { at: Date; by: string };
  finalized?: { at: Date; by: string };
  rejected?: { at: Date; by: string; reason: string };
  /** Share of result rows with a value: 0 before analysis, 1 for fully resulted drafts and reports. */
  fill: number;
  /** 0 healthy … 1 ill: how often values fall outside the range. */
  sickness: number;
}

export interface WrittenProtocol {
  code: string;
  rows: number;
}

/**
 * Writes one protocol exactly as intake leaves it (work order, report, version 1 with one row per
 * analyte in print order and the species' range), then what its status implies: values, a
 * finalized version with its signer, a rejection reason, and the audit trail of each step.
 */
export function writeProtocol(w: RowSink, plan: ProtocolPlan, r: Prng, ids: Prng): WrittenProtocol {
  const code = formatProtocolCode(plan.year, plan.number);
  const who = drawAnimal(r, plan.species);
  const analytes = orderAnalytes(plan.panels.flatMap((p) => p.analytes)) as SeedAnalyte[];
  const sections = buildSections(analytes);
  const lastChange = plan.finalized?.at ?? plan.rejected?.at ?? plan.analysis?.at ?? plan.received?.at ?? plan.createdAt;
  const version = 1 + (plan.received ? 1 : 0) + (plan.analysis ? 1 : 0) + (plan.finalized ? 1 : 0) + (plan.rejected ? 1 : 0);

  const protocolId = ids.uuid();
  w.add(Protocol, {
    id: protocolId,
    code,
    clinic: plan.clinic.id,
    vet: plan.vetId,
    createdBy: plan.createdById,
    species: plan.species,
    ...who,
    searchText: Protocol.searchTextOf({ code, animalName: who.animalName, ownerName: who.ownerName }),
    samples: samplesFor(sections.map((s) => s.sampleType), r),
    notes: r.chance(0.45) ? r.pick(CLINICAL_NOTES) : null,
    priority: plan.priority,
    status: plan.status,
    receivedBy: plan.received?.by ?? null,
    receivedAt: plan.received?.at ?? null,
    rejectionReason: plan.rejected?.reason ?? null,
    version,
    createdAt: plan.createdAt,
    updatedAt: lastChange,
  });
  for (const p of plan.panels) w.add('protocol_panels', { protocol_id: protocolId, panel_id: p.id });
  w.add(WorkOrder, {
    id: ids.uuid(),
    protocol: protocolId,
    priority: plan.priority,
    instructions: plan.priority !== Priority.Routine && r.chance(0.5) ? 'Paciente hospitalizado: comunicar valores críticos por teléfono.' : null,
    sections,
    contentVersion: 1,
    createdAt: plan.createdAt,
    updatedAt: plan.createdAt,
  });
  const reportId = ids.uuid();
  w.add(Report, { id: reportId, protocol: protocolId, createdAt: plan.createdAt });

  const versionId = ids.uuid();
  const filled = Math.round(analytes.length * plan.fill);
  let flagged = 0;
  analytes.forEach((analyte, i) => {
    const range = rangeFor(analyte, plan.species);
    const fields = i < filled ? resultFields(analyte, range, drawValue(r, analyte, range, plan.sickness)) : null;
    if (fields?.flag && fields.flag !== 'normal') flagged++;
    w.add(ResultRow, {
      id: ids.uuid(),
      version: versionId,
      analyte: analyte.id,
      position: i + 1,
      value: fields?.value ?? null,
      numericValue: fields?.numericValue ?? null,
      flag: fields?.flag ?? null,
      range,
    });
  });
  const edits = filled ? r.int(1, 3) : 0;
  w.add(ReportVersion, {
    id: versionId,
    report: reportId,
    number: 1,
    status: plan.finalized ? ReportVersionStatus.Finalized : ReportVersionStatus.Draft,
    observations: plan.finalized && r.chance(0.6) ? r.pick(flagged ? OBSERVATIONS_ABNORMAL : OBSERVATIONS_NORMAL) : null,
    signer: plan.finalized?.by ?? null,
    finalizedAt: plan.finalized?.at ?? null,
    failureReason: null,
    supersedesNumber: null,
    // Each save of results bumps the lock; finalizing goes through `finalizing` to `finalized`.
    lockVersion: 1 + edits + (plan.finalized ? 2 : 0),
    createdAt: plan.createdAt,
    updatedAt: plan.finalized?.at ?? (filled ? (plan.analysis?.at ?? lastChange) : plan.createdAt),
  });

  writeAudit(w, ids, protocolId, code, plan);
  return { code, rows: analytes.length };
}

function writeAudit(w: RowSink, ids: Prng, protocolId: string, code: string, plan: ProtocolPlan) {
  const entry = (actorId: string, at: Date, action: AuditAction, before: object | null, after: object) =>
    w.add(AuditLog, { id: ids.uuid(), actorId, at, entity: 'protocol', entityId: protocolId, action, before, after, jobId: null });
  entry(plan.createdById, plan.createdAt, AuditAction.Create, null, {
    code,
    status: ProtocolStatus.Submitted,
    clinicId: plan.clinic.id,
    vetId: plan.vetId,
    panelIds: plan.panels.map((p) => p.id),
    priority: plan.priority,
  });
  const change = (by: string, at: Date, from: ProtocolStatus, to: ProtocolStatus, extra: object = {}) =>
    entry(by, at, AuditAction.StatusChange, { status: from }, { status: to, ...extra });
  if (plan.received) change(plan.received.by, plan.received.at, ProtocolStatus.Submitted, ProtocolStatus.Received);
  if (plan.rejected) {
    const from = plan.received ? ProtocolStatus.Received : ProtocolStatus.Submitted;
    change(plan.rejected.by, plan.rejected.at, from, ProtocolStatus.Rejected, { rejectionReason: plan.rejected.reason });
  }
  if (plan.analysis) change(plan.analysis.by, plan.analysis.at, ProtocolStatus.Received, ProtocolStatus.InAnalysis);
  if (plan.finalized) change(plan.finalized.by, plan.finalized.at, ProtocolStatus.InAnalysis, ProtocolStatus.Reported);
}

function samplesFor(types: SampleType[], r: Prng): { type: SampleType; count: number }[] {
  return [...new Set(types)].map((type) => ({ type, count: type === SampleType.WholeBloodEdta && r.chance(0.2) ? 2 : 1 }));
}

/**
 * A plausible bench result: mostly inside the species' range, outside more often the sicker the
 * animal, formatted with the analyte's decimals. The flag is not chosen here: resultFields judges
 * the value against the range exactly as a typed result would be judged.
 */
export function drawValue(r: Prng, analyte: Pick<SeedAnalyte, 'kind' | 'decimals' | 'answers'>, range: ReferenceRange | null, sickness: number): string {
  const outside = r.chance(0.06 + 0.34 * sickness);
  if (analyte.kind === AnalyteKind.Qualitative) {
    const answers = analyte.answers?.length ? analyte.answers : [range?.expected ?? 'negativo', 'positivo'];
    return outside && answers.length > 1 ? r.pick(answers.slice(1)) : (range?.expected ?? answers[0]);
  }
  const low = range?.low ?? 0;
  const high = range?.high ?? low + 10;
  const width = high - low || Math.max(high, 1) * 50;
  let x: number;
  if (!outside) {
    x = high === low ? low : low + width * Math.min(0.98, Math.max(0.02, r.normal(0.5, 0.2)));
  } else if (low > 0 && r.chance(0.4)) {
    x = Math.max(low * r.float(0.2, 0.95), low - width * r.float(0.05, 0.6));
  } else {
    x = high + width * r.float(0.05, 0.9) * (r.chance(0.15) ? 4 : 1);
  }
  return x.toFixed(analyte.decimals);
}
