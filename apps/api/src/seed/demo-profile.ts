import { Priority, ProtocolStatus, Section, Species } from '@vetlab/shared';
import { REJECTION_REASONS } from './animals';
import { Prng } from './prng';
import { ProtocolPlan } from './protocol-factory';
import { SeedCatalogue, SeedPanel } from './seed-catalogue';
import { SeedPeople } from './seed-people';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/**
 * Protocols of a lab's last ~90 days up to `base`, each following the pipeline (submitted →
 * received → in analysis → reported, or rejected at the door) with its own delays; its status is
 * the step reached by `base`. Arrivals grow towards the present, so the recent days hold the open
 * work: samples on their way, on the bench, and reports waiting for a signature.
 */
export function planDemoProtocols(r: Prng, people: SeedPeople, catalogue: SeedCatalogue, base: Date, count: number): ProtocolPlan[] {
  const plans: Omit<ProtocolPlan, 'year' | 'number'>[] = [];
  for (let i = 0; i < count; i++) {
    const ageDays = 90 * r.next() ** 1.6;
    const createdAt = workingHours(r, new Date(base.getTime() - ageDays * DAY), base);
    plans.push(planOne(r, people, catalogue, createdAt, base));
  }
  return numberInOrder(plans);
}

/** Codes follow arrival order, one counter per year, as intake hands them out. */
export function numberInOrder(plans: Omit<ProtocolPlan, 'year' | 'number'>[]): ProtocolPlan[] {
  const sorted = [...plans].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const counters = new Map<number, number>();
  return sorted.map((p) => {
    const year = p.createdAt.getUTCFullYear();
    const number = (counters.get(year) ?? 0) + 1;
    counters.set(year, number);
    return { ...p, year, number };
  });
}

function planOne(r: Prng, people: SeedPeople, catalogue: SeedCatalogue, createdAt: Date, base: Date): Omit<ProtocolPlan, 'year' | 'number'> {
  const clinic = r.pick(people.clinics);
  const species = r.weighted(clinic.species);
  const panels = pickPanels(r, catalogue.panels, species);
  const byVet = r.chance(0.85);
  const vetId = byVet || r.chance(0.5) ? r.pick(clinic.vetIds) : null;
  const priority = r.weighted([
    [Priority.Routine, 80],
    [Priority.Urgent, 15],
    [Priority.Stat, 5],
  ]);
  const plan: Omit<ProtocolPlan, 'year' | 'number'> = {
    createdAt,
    clinic,
    vetId,
    createdById: byVet && vetId ? vetId : r.pick(people.technicianIds),
    species,
    panels,
    priority,
    status: ProtocolStatus.Submitted,
    fill: 0,
    sickness: r.weighted([
      [0, 40],
      [0.3, 40],
      [1, 20],
    ]),
  };
  const fast = priority === Priority.Routine ? 1 : 0.4;
  // Samples come by courier; some wait for the next day's round.
  const receivedAt = new Date(createdAt.getTime() + (r.chance(0.3) ? r.float(24, 80) : r.float(2, 20)) * HOUR * fast);
  if (receivedAt > base) return plan;
  const technician = r.pick(people.technicianIds);
  if (r.chance(0.04)) {
    const atDoor = r.chance(0.3);
    plan.status = ProtocolStatus.Rejected;
    if (!atDoor) plan.received = { at: receivedAt, by: technician };
    plan.rejected = { at: new Date(receivedAt.getTime() + (atDoor ? 0 : r.float(0.2, 3) * HOUR)), by: technician, reason: r.pick(REJECTION_REASONS) };
    if (plan.rejected.at > base) plan.rejected.at = base;
    return plan;
  }
  plan.status = ProtocolStatus.Received;
  plan.received = { at: receivedAt, by: technician };
  const analysisAt = new Date(receivedAt.getTime() + r.float(4, 60) * HOUR * fast);
  if (analysisAt > base) return plan;
  plan.status = ProtocolStatus.InAnalysis;
  plan.analysis = { at: analysisAt, by: r.pick(people.technicianIds) };
  const slow = panels.some((p) => p.analytes.some((a) => a.section === Section.Serology || a.section === Section.Endocrinology));
  const finalizedAt = new Date(analysisAt.getTime() + (r.float(12, 96) + (slow ? r.float(24, 144) : 0)) * HOUR * fast);
  if (finalizedAt > base) {
    // On the bench: most drafts are complete and wait for a signer, the rest are half way.
    plan.fill = r.chance(0.7) ? 1 : r.float(0.2, 0.9);
    return plan;
  }
  plan.status = ProtocolStatus.Reported;
  plan.fill = 1;
  plan.finalized = { at: finalizedAt, by: r.pick(people.signerIds) };
  return plan;
}

/** One to three panels usual for the species, the common ones more often. */
export function pickPanels(r: Prng, panels: SeedPanel[], species: Species): SeedPanel[] {
  const usual = panels.filter((p) => p.species.includes(species) && !p.code.startsWith('BENCH-'));
  const weight = (code: string) => ({ HEMO: 10, 'BQ-BAS': 6, 'BQ-COMP': 4, ORINA: 3, PREQ: 3 })[code] ?? 1.5;
  const first = r.weighted(usual.map((p) => [p, weight(p.code)] as const));
  const chosen = [first];
  const more = r.weighted([
    [0, 45],
    [1, 40],
    [2, 15],
  ]);
  for (let i = 0; i < more; i++) {
    const rest = usual.filter((p) => !chosen.includes(p));
    if (rest.length) chosen.push(r.weighted(rest.map((p) => [p, weight(p.code)] as const)));
  }
  return chosen;
}

/** Submissions arrive in opening hours (08:00–20:00 Spanish time), never after `base`. */
function workingHours(r: Prng, day: Date, base: Date): Date {
  const d = new Date(day);
  d.setUTCHours(7 + r.int(0, 11), r.int(0, 59), r.int(0, 59), 0);
  if (d > base) d.setTime(base.getTime() - r.float(0.1, 3) * HOUR);
  return d;
}
