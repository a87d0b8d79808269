import { Priority, ReportLanguage, Sex, Species } from '@vetlab/shared';
import { DEMO_ANALYTES } from '../catalogue/demo-catalogue';
import { LAB_LETTERHEAD } from '../reports/finalize/lab-letterhead';
import { SECTION_ORDER, SECTION_SAMPLE } from '../work-orders/work-order-sections';
import type { WorkOrderPdfData } from './work-order-pdf-data';

/** A believable work order with up to `analytes` analyses from the demo catalogue (warm-up, bench, tests). */
export function sampleWorkOrder(analytes = 24, code = 'P-2026-000123'): WorkOrderPdfData {
  const picked = DEMO_ANALYTES.slice(0, analytes);
  const sections = SECTION_ORDER.flatMap((section) => {
    const list = picked.filter((a) => a.section === section).map((a) => ({ code: a.code, name: a.name }));
    return list.length ? [{ section, ...SECTION_SAMPLE[section], analytes: list }] : [];
  });
  return {
    language: ReportLanguage.Es,
    lab: LAB_LETTERHEAD,
    protocol: { code, createdAt: '2026-11-20T09:15:00.000Z', receivedAt: '2026-11-20T11:40:00.000Z' },
    clinic: { name: 'Clínica Veterinaria San Antón' },
    vet: { name: 'Dra. Lucía Fernández' },
    animal: { name: 'Toby', species: Species.Dog, breed: 'Labrador retriever', sex: Sex.Male, age: '7 años y 3 meses' },
    owner: { name: 'Marta Gómez Ruiz' },
    samples: [
      { type: 'whole_blood_edta', count: 1 },
      { type: 'serum', count: 1 },
    ],
    priority: Priority.Urgent,
    instructions: 'Avisar por teléfono si la glucosa supera 250 mg/dL. Paciente en ayunas de 12 h.',
    sections,
    version: 2,
    updatedAt: '2026-11-20T12:05:00.000Z',
  };
}
