import { z } from 'zod';
import { AnalyteKind, ReportVersionStatus, ResultFlag, Section, values } from '../enums';
import { IdSchema, Ref } from './common';
import { ReferenceRange } from '../flags';

export const ResultRowView = z
  .object({
    id: z.string(),
    analyteId: z.string(),
    code: z.string(),
    name: z.string(),
    section: z.enum(values(Section)),
    unit: z.string().nullable(),
    kind: z.enum(values(AnalyteKind)),
    value: z.string().nullable(),
    numericValue: z.number().nullable(),
    flag: z.enum(values(ResultFlag)).nullable(),
    range: ReferenceRange.nullable(),
  })
  .meta({ id: 'ResultRowView' });
export type ResultRowView = z.infer<typeof ResultRowView>;

export const ReportVersionView = z
  .object({
    id: z.string(),
    number: z.number().int(),
    status: z.enum(values(ReportVersionStatus)),
    observations: z.string().nullable(),
    signer: Ref.nullable(),
    finalizedAt: z.string().nullable(),
    failureReason: z.string().nullable(),
    supersedesNumber: z.number().int().nullable(),
    /** Optimistic lock for editing a draft's rows. */
    lockVersion: z.number().int(),
    complete: z.boolean(),
    createdAt: z.string(),
    rows: z.array(ResultRowView),
  })
  .meta({ id: 'ReportVersionView' });
export type ReportVersionView = z.infer<typeof ReportVersionView>;

export const ReportView = z
  .object({
    id: z.string(),
    protocolId: z.string(),
    protocolCode: z.string(),
    /** Newest first. Vets receive finalized and superseded versions only. */
    versions: z.array(ReportVersionView),
  })
  .meta({ id: 'ReportView' });
export type ReportView = z.infer<typeof ReportView>;

export const UpdateResultsRequest = z
  .object({
    lockVersion: z.number().int().min(1),
    observations: z.string().trim().max(4000).nullable().optional(),
    results: z
      .array(z.object({ rowId: z.uuid(), value: z.string().trim().max(200).nullable() }))
      .max(5000)
      .default([]),
  })
  .strict();
export type UpdateResultsRequest = z.input<typeof UpdateResultsRequest>;

/** `/api/reports/:id/versions/:n/pdf` */
export const ReportVersionParams = z.object({
  id: IdSchema,
  n: z.coerce.number({ error: 'must be a version number' }).int('must be a version number').min(1).max(100_000),
});
export type ReportVersionParams = z.output<typeof ReportVersionParams>;
