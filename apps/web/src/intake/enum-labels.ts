import { Priority, SampleType, Section, Sex, Species } from '@vetlab/shared';
import type { MessageKey } from '../i18n/catalogue';
import type { Translate } from '../i18n/i18n';

/** Catalogue keys (common.ts) per enum value; full records, so a new enum value cannot go unlabelled. */
export const SPECIES_KEY: Record<Species, MessageKey> = {
  dog: 'species.dog',
  cat: 'species.cat',
  horse: 'species.horse',
  cow: 'species.cow',
};

export const SEX_KEY: Record<Sex, MessageKey> = {
  male: 'sex.male',
  female: 'sex.female',
  unknown: 'sex.unknown',
};

export const PRIORITY_KEY: Record<Priority, MessageKey> = {
  routine: 'priority.routine',
  urgent: 'priority.urgent',
  stat: 'priority.stat',
};

export const SAMPLE_KEY: Record<SampleType, MessageKey> = {
  whole_blood_edta: 'sampleType.whole_blood_edta',
  serum: 'sampleType.serum',
  plasma: 'sampleType.plasma',
  urine: 'sampleType.urine',
  feces: 'sampleType.feces',
  swab: 'sampleType.swab',
  tissue: 'sampleType.tissue',
};

export const SECTION_KEY: Record<Section, MessageKey> = {
  hemograma: 'section.hemograma',
  bioquimica_serica: 'section.bioquimica_serica',
  urianalisis: 'section.urianalisis',
  coagulacion: 'section.coagulacion',
  endocrinologia: 'section.endocrinologia',
  parasitologia: 'section.parasitologia',
  serologia: 'section.serologia',
};

/** Select/SegmentedControl data for an enum, labelled in the current language. */
export function enumOptions<V extends string>(keys: Record<V, MessageKey>, t: Translate): { value: V; label: string }[] {
  return (Object.keys(keys) as V[]).map((value) => ({ value, label: t(keys[value]) }));
}

/** Priority colours shared by the queue and the editors: routine stays quiet. */
export const PRIORITY_COLOR: Record<Priority, string> = { routine: 'gray', urgent: 'orange', stat: 'red' };
