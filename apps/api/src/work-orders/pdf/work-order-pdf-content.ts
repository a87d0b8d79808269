import { ReportLanguage, Section } from '@vetlab/shared';
import { WORDING, wordingFor } from '../../i18n/wording';
import { formatAge } from '../../reports/finalize/report-pdf-content';
import { LAB_LETTERHEAD } from '../../reports/finalize/lab-letterhead';
import type { WorkOrderPdfData } from '../../pdf/work-order-pdf-data';
import type { Protocol } from '../../protocols/protocol.entity';
import type { WorkOrder } from '../work-order.entity';

type ProtocolPart = Pick<Protocol, 'code' | 'createdAt' | 'receivedAt' | 'animalName' | 'species' | 'breed' | 'sex' | 'ageMonths' | 'ownerName' | 'samples'>;

/** What a work order's PDF shows, from the work order and its protocol (no entities needed: easy to test). */
export function workOrderPdfContent(
  wo: Pick<WorkOrder, 'priority' | 'instructions' | 'sections' | 'contentVersion' | 'updatedAt'>,
  p: ProtocolPart,
  clinic: { name: string; reportLanguage: ReportLanguage },
  vetName: string | null,
): WorkOrderPdfData {
  const language = clinic.reportLanguage;
  return {
    language,
    lab: LAB_LETTERHEAD,
    protocol: { code: p.code, createdAt: p.createdAt.toISOString(), receivedAt: p.receivedAt?.toISOString() ?? null },
    clinic: { name: clinic.name },
    vet: vetName ? { name: vetName } : null,
    animal: { name: p.animalName, species: p.species, breed: p.breed, sex: p.sex, age: formatAge(p.ageMonths, language) },
    owner: { name: p.ownerName },
    samples: p.samples.map((s) => ({ type: s.type, count: s.count })),
    priority: wo.priority,
    instructions: wo.instructions,
    sections: wo.sections.map((s) => ({ section: s.section, sampleType: s.sampleType, requirement: requirementIn(language, s.section, s.requirement), analytes: s.analytes.map((a) => ({ code: a.code, name: a.name })) })),
    version: wo.contentVersion,
    updatedAt: wo.updatedAt.toISOString(),
  };
}

/** A section's standard (Spanish) requirement in the clinic's language; one staff wrote is printed as written. */
function requirementIn(language: ReportLanguage, section: string, requirement: string): string {
  const standard = WORDING.es.requirements[section as Section];
  return standard === requirement ? wordingFor(language).requirements[section as Section] : requirement;
}

/** Storage keys come from ids only: no user input reaches a path. */
export const workOrderPdfKey = (workOrderId: string, version: number) => `work-orders/${workOrderId}/v${version}.pdf`;
