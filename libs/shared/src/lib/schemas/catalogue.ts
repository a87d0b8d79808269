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
    address: z.string().nullable(),
    phone: z.string().nullable(),
  })
  .meta({ id: 'ClinicView' });
export type ClinicView = z.infer<typeof ClinicView>;

/** One or more addresses that receive the clinic's reports: valid, lower-cased, no repeats. */
export const ResultEmails = z
  .array(z.email().max(254).transform((s) => s.trim().toLowerCase()))
  .min(1)
  .max(10)
  .refine((a) => new Set(a).size === a.length, { error: 'an address is listed twice', params: { code: 'invalid_value' } });

const ClinicFields = {
  name: z.string().trim().min(1).max(160),
  address: z.string().trim().max(300).nullish(),
  /** Digits, spaces and + ( ) - only. */
  phone: z
    .string()
    .trim()
    .max(40)
    .regex(/^[0-9+() -]*$/, { error: 'only digits, spaces and + ( ) -' })
    .nullish(),
  resultEmails: ResultEmails,
  reportLanguage: z.enum(values(ReportLanguage)),
};

export const CreateClinicRequest = z
  .object({ ...ClinicFields, reportLanguage: ClinicFields.reportLanguage.default(ReportLanguage.Es) })
  .strict();
export type CreateClinicRequest = z.input<typeof CreateClinicRequest>;

export const UpdateClinicRequest = z
  .object({
    name: ClinicFields.name.optional(),
    address: ClinicFields.address,
    phone: ClinicFields.phone,
    resultEmails: ClinicFields.resultEmails.optional(),
    reportLanguage: ClinicFields.reportLanguage.optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to update' });
export type UpdateClinicRequest = z.infer<typeof UpdateClinicRequest>;
