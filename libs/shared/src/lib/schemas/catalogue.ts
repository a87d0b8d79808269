import { z } from 'zod';
import { AnalyteKind, ReportLanguage, Section, Species, values } from '../enums';

export const RangeView = z
  .object({ species: z.enum(values(Species)), low: z.number().nullable(), high: z.number().nullable(), expected: z.string().nullable() })
  .meta({ id: 'RangeView' });
export type RangeView = z.infer<typeof RangeView>;

export const AnalyteView = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    section: z.enum(values(Section)),
    unit: z.string().nullable(),
    kind: z.enum(values(AnalyteKind)),
    decimals: z.number().int(),
    ranges: z.array(RangeView),
  })
  .meta({ id: 'AnalyteView' });
export type AnalyteView = z.infer<typeof AnalyteView>;

export const PanelView = z
  .object({ id: z.string(), code: z.string(), name: z.string(), analyteIds: z.array(z.string()) })
  .meta({ id: 'PanelView' });
export type PanelView = z.infer<typeof PanelView>;

export const CatalogueView = z.object({ analytes: z.array(AnalyteView), panels: z.array(PanelView) }).meta({ id: 'CatalogueView' });
export type CatalogueView = z.infer<typeof CatalogueView>;

export const ClinicView = z
  .object({
    id: z.string(),
    name: z.string(),
    resultEmails: z.array(z.string()),
    /** The language of the clinic's report and work-order PDFs and of its mails. */
    reportLanguage: z.enum(values(ReportLanguage)),
  })
  .meta({ id: 'ClinicView' });
export type ClinicView = z.infer<typeof ClinicView>;
