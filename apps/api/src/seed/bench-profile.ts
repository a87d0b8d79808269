import { Priority, ProtocolStatus, Species } from '@vetlab/shared';
import { numberInOrder, pickPanels } from './demo-profile';
import { Prng } from './prng';
import { ProtocolPlan } from './protocol-factory';
import { SeedCatalogue } from './seed-catalogue';
import { SeedPeople } from './seed-people';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export const BENCH_SUBMITTED = 10_000;
/** Fully resulted drafts by printed size: mostly two pages, a few long ones. */
// Two-pagers: ~215 for finalize (its rounds, baseline and capacity), 10 for verify, 41 for annul, some spare.
export const BENCH_DRAFTS: Record<number, number> = { 2: 300, 5: 45, 20: 15 };

/** A clinic's vet asking for routine work on one of the clinic's usual species. */
function requester(r: Prng, people: SeedPeople) {
  const clinic = r.pick(people.clinics);
  const vetId = r.pick(clinic.vetIds);
  return { clinic, vetId, createdById: vetId, species: r.weighted(clinic.species) as Species, priority: Priority.Routine, sickness: r.pick([0, 0.3, 1]) };
}

/**
 * A protocol in analysis whose draft has every result (`panel` decides how many pages it prints),
 * created 2 to 20 days before `base`: what a signer finalizes (the bench and decade profiles).
 */
export function completeDraft(r: Prng, people: SeedPeople, panel: ProtocolPlan['panels'][number], base: Date): Omit<ProtocolPlan, 'year' | 'number'> {
  const c = requester(r, people);
  const createdAt = new Date(base.getTime() - r.float(2, 20) * DAY);
  const technician = r.pick(people.technicianIds);
  return {
    ...c,
    createdAt,
    panels: [panel],
    status: ProtocolStatus.InAnalysis,
    received: { at: new Date(createdAt.getTime() + r.float(2, 20) * HOUR), by: technician },
    analysis: { at: new Date(createdAt.getTime() + r.float(22, 40) * HOUR), by: technician },
    fill: 1,
  };
}

/**
 * The bench database: a large backlog of submitted protocols (bulk receive, lists, search) and
 * in-analysis protocols whose complete drafts print on about 2, 5 and 20 pages (finalize, PDF).
 */
export function planBenchProtocols(r: Prng, people: SeedPeople, catalogue: SeedCatalogue, base: Date): ProtocolPlan[] {
  const plans: Omit<ProtocolPlan, 'year' | 'number'>[] = [];
  for (let i = 0; i < BENCH_SUBMITTED; i++) {
    const c = requester(r, people);
    const createdAt = new Date(base.getTime() - r.next() * 14 * DAY);
    plans.push({ ...c, createdAt, panels: pickPanels(r, catalogue.panels, c.species), status: ProtocolStatus.Submitted, fill: 0 });
  }
  for (const [pages, count] of Object.entries(BENCH_DRAFTS)) {
    const panel = catalogue.benchPanels.get(Number(pages));
    if (!panel) throw new Error(`no bench panel for ${pages} pages`);
    for (let i = 0; i < count; i++) plans.push(completeDraft(r, people, panel, base));
  }
  return numberInOrder(plans);
}
