import type { Priority, ReportLanguage } from '@vetlab/shared';
import type { ReportPdfData } from './report-pdf-data';

/**
 * Everything a work-order PDF shows, as plain JSON (built by the work-order PDF job, sent to a
 * render thread). Enum values (species, sex, section, sample type, priority) are printed in the
 * clinic's language.
 */
export interface WorkOrderPdfData {
  /** The clinic's report language (a clinic's language is part of what its cached PDFs show). */
  language: ReportLanguage;
  lab: ReportPdfData['lab'];
  protocol: { code: string; createdAt: string; receivedAt: string | null };
  clinic: { name: string };
  vet: { name: string } | null;
  animal: ReportPdfData['animal'];
  owner: { name: string };
  /** Samples the clinic says it sent. */
  samples: { type: string; count: number }[];
  priority: Priority;
  instructions: string | null;
  sections: { section: string; sampleType: string; requirement: string; analytes: { code: string; name: string }[] }[];
  version: number;
  /** When this content version was saved (printed as the document's date). */
  updatedAt: string;
}
