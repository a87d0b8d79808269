import type { ReportPdfData } from '../../pdf/report-pdf-data';

/** The laboratory as its reports and e-mails name it. */
export const LAB_LETTERHEAD: ReportPdfData['lab'] = {
  name: 'vetlab — Laboratorio de Diagnóstico Veterinario',
  address: 'Calle de la Ciencia 12, 28040 Madrid',
  phone: '+34 910 000 000',
  email: 'laboratorio@vetlab.local',
};
