import { SampleType, Section, WorkOrderSectionView } from '@vetlab/shared';
import { Analyte } from '../catalogue/analyte.entity';
import { WORDING } from '../i18n/wording';

/** Print and bench order of the lab's sections. */
export const SECTION_ORDER: Section[] = [
  Section.Hematology,
  Section.Coagulation,
  Section.Biochemistry,
  Section.Endocrinology,
  Section.Urinalysis,
  Section.Parasitology,
  Section.Serology,
];

/** What each section needs from the sample, as the bench reads it on the work order (the lab's Spanish wording). */
export const SECTION_SAMPLE: Record<Section, { sampleType: SampleType; requirement: string }> = {
  [Section.Hematology]: { sampleType: SampleType.WholeBloodEdta, requirement: WORDING.es.requirements[Section.Hematology] },
  [Section.Coagulation]: { sampleType: SampleType.Plasma, requirement: WORDING.es.requirements[Section.Coagulation] },
  [Section.Biochemistry]: { sampleType: SampleType.Serum, requirement: WORDING.es.requirements[Section.Biochemistry] },
  [Section.Endocrinology]: { sampleType: SampleType.Serum, requirement: WORDING.es.requirements[Section.Endocrinology] },
  [Section.Urinalysis]: { sampleType: SampleType.Urine, requirement: WORDING.es.requirements[Section.Urinalysis] },
  [Section.Parasitology]: { sampleType: SampleType.Feces, requirement: WORDING.es.requirements[Section.Parasitology] },
  [Section.Serology]: { sampleType: SampleType.Serum, requirement: WORDING.es.requirements[Section.Serology] },
};

/** Distinct analytes in section order, then catalogue position. */
export function orderAnalytes(analytes: Iterable<Analyte>): Analyte[] {
  const byId = new Map<string, Analyte>();
  for (const a of analytes) byId.set(a.id, a);
  return [...byId.values()].sort(
    (a, b) => SECTION_ORDER.indexOf(a.section) - SECTION_ORDER.indexOf(b.section) || a.position - b.position || a.code.localeCompare(b.code),
  );
}

/** The work order's analyses by section with their sample requirement (snapshot at intake). */
export function buildSections(analytes: Iterable<Analyte>): WorkOrderSectionView[] {
  const sections = new Map<Section, WorkOrderSectionView>();
  for (const a of orderAnalytes(analytes)) {
    let s = sections.get(a.section);
    if (!s) {
      s = { section: a.section, ...SECTION_SAMPLE[a.section], analytes: [] };
      sections.set(a.section, s);
    }
    s.analytes.push({ code: a.code, name: a.name });
  }
  return [...sections.values()];
}
