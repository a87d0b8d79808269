import { Priority } from '@vetlab/shared';

/** Spanish wording of the work order; unknown values are printed as given. */
const SAMPLE_TYPES: Record<string, string> = {
  whole_blood_edta: 'Sangre entera (EDTA)',
  serum: 'Suero',
  plasma: 'Plasma',
  urine: 'Orina',
  feces: 'Heces',
  swab: 'Hisopo',
  tissue: 'Tejido',
};

const PRIORITIES: Record<string, string> = {
  [Priority.Routine]: 'Rutina',
  [Priority.Urgent]: 'Urgente',
  [Priority.Stat]: 'STAT (inmediata)',
};

export const sampleTypeLabel = (v: string) => SAMPLE_TYPES[v] ?? v;
export const priorityLabel = (v: string) => PRIORITIES[v] ?? v;

/** The download name: readable, ASCII only (protocol codes are), unique per content version. */
export const workOrderPdfFilename = (protocolCode: string, version: number) =>
  `orden-de-trabajo-${protocolCode.replace(/[^A-Za-z0-9-]/g, '_')}-v${version}.pdf`;
