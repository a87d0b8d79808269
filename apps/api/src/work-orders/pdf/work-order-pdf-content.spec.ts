import { Priority, SampleType, Section, Sex, Species } from '@vetlab/shared';
import { workOrderPdfFilename } from '../../pdf/work-order-labels';
import { workOrderPdfContent, workOrderPdfKey } from './work-order-pdf-content';
import { etagMatches } from '../../common/pdf-reply';
import { SECTION_SAMPLE } from '../work-order-sections';

describe('workOrderPdfContent', () => {
  it('flattens the work order and its protocol into what the document prints', () => {
    const data = workOrderPdfContent(
      {
        priority: Priority.Stat,
        instructions: 'Llamar',
        contentVersion: 3,
        updatedAt: new Date('2026-11-20T12:00:00Z'),
        sections: [{ section: Section.Hematology, sampleType: SampleType.WholeBloodEdta, requirement: 'EDTA', analytes: [{ code: 'HCT', name: 'Hematocrito' }] }],
      },
      {
        code: 'P-2026-000042',
        createdAt: new Date('2026-11-19T08:00:00Z'),
        receivedAt: null,
        animalName: 'Luna',
        species: Species.Cat,
        breed: null,
        sex: Sex.Female,
        ageMonths: 14,
        ownerName: 'Ana',
        samples: [{ type: SampleType.WholeBloodEdta, count: 2 }],
      },
      { name: 'Clínica Norte', reportLanguage: 'es' },
      null,
    );
    expect(data).toMatchObject({
      protocol: { code: 'P-2026-000042', createdAt: '2026-11-19T08:00:00.000Z', receivedAt: null },
      clinic: { name: 'Clínica Norte' },
      vet: null,
      animal: { name: 'Luna', species: 'cat', breed: null, sex: 'female', age: '1 año y 2 meses' },
      samples: [{ type: 'whole_blood_edta', count: 2 }],
      priority: 'stat',
      instructions: 'Llamar',
      sections: [{ section: 'hemograma', sampleType: 'whole_blood_edta', requirement: 'EDTA', analytes: [{ code: 'HCT', name: 'Hematocrito' }] }],
      version: 3,
      updatedAt: '2026-11-20T12:00:00.000Z',
    });
    expect(data.lab.name).toMatch(/vetlab/);
  });

  it('names files and keys from ids and codes only', () => {
    expect(workOrderPdfKey('0b6e1c1a-3f1e-4c1e-9d1e-1a2b3c4d5e6f', 2)).toBe('work-orders/0b6e1c1a-3f1e-4c1e-9d1e-1a2b3c4d5e6f/v2.pdf');
    expect(workOrderPdfFilename('P-2026-000042', 2)).toBe('orden-de-trabajo-P-2026-000042-v2.pdf');
    expect(workOrderPdfFilename('P-2026/"x"', 1)).toBe('orden-de-trabajo-P-2026__x_-v1.pdf');
  });
});

describe('etagMatches', () => {
  it('matches the tag, its weak form, a list and *; nothing else', () => {
    expect(etagMatches('"abc"', '"abc"')).toBe(true);
    expect(etagMatches('W/"abc"', '"abc"')).toBe(true);
    expect(etagMatches('"x", "abc"', '"abc"')).toBe(true);
    expect(etagMatches('*', '"abc"')).toBe(true);
    expect(etagMatches('"abcd"', '"abc"')).toBe(false);
    expect(etagMatches(undefined, '"abc"')).toBe(false);
  });
});

describe("an English clinic's work order", () => {
  const wo = (requirement: string) => ({
    priority: Priority.Routine,
    instructions: null,
    contentVersion: 1,
    updatedAt: new Date('2026-11-20T12:00:00Z'),
    sections: [{ section: Section.Hematology, sampleType: SampleType.WholeBloodEdta, requirement, analytes: [{ code: 'HCT', name: 'Hematocrito' }] }],
  });
  const protocol = {
    code: 'P-2026-000043',
    createdAt: new Date('2026-11-19T08:00:00Z'),
    receivedAt: null,
    animalName: 'Max',
    species: Species.Dog,
    breed: null,
    sex: Sex.Male,
    ageMonths: 25,
    ownerName: 'John',
    samples: [],
  };

  it('carries the language, the age in English and the standard requirement translated (a custom one as written)', () => {
    const data = workOrderPdfContent(wo(SECTION_SAMPLE[Section.Hematology].requirement), protocol, { name: 'Olive Vets', reportLanguage: 'en' }, null);
    expect(data.language).toBe('en');
    expect(data.animal.age).toBe('2 years 1 month');
    expect(data.sections[0].requirement).toBe('1 ml of EDTA whole blood, refrigerated, < 24 h');
    const custom = workOrderPdfContent(wo('2 ml, urgent'), protocol, { name: 'Olive Vets', reportLanguage: 'en' }, null);
    expect(custom.sections[0].requirement).toBe('2 ml, urgent');
    const spanish = workOrderPdfContent(wo(SECTION_SAMPLE[Section.Hematology].requirement), protocol, { name: 'Norte', reportLanguage: 'es' }, null);
    expect(spanish.sections[0].requirement).toBe('1 ml de sangre entera con EDTA, refrigerada, < 24 h');
  });
});
