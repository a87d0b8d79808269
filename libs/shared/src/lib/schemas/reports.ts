import { z } from 'zod';
import { AnalyteKind, ReportVersionStatus, ResultFlag, Section, values } from '../enums';
import { IdSchema, Ref } from './common';
import { ReferenceRange } from '../flags';
import { JobAcceptedBase } from './jobs';

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
    /** Why this version corrects the one it supersedes (amendments; printed on its PDF). */
    amendReason: z.string().nullable(),
    /** Set once the version is annulled (status `invalidated`): when, by whom and why. */
    invalidatedAt: z.string().nullable(),
    invalidatedBy: Ref.nullable(),
    invalidationReason: z.string().nullable(),
    /** The number of the released version that replaced this one (superseded versions), else null. */
    supersededByNumber: z.number().int().nullable(),
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

/** Why a report is corrected or a version annulled: said in words, 10 to 500 characters. */
export const ReportLifeReason = z
  .string({ error: 'is required' })
  .trim()
  .min(10, 'must be at least 10 characters')
  .max(500, 'must be at most 500 characters');

/** `POST /api/reports/:id/amend`: a new draft version correcting the finalized one. */
export const AmendReportRequest = z.object({ reason: ReportLifeReason }).strict().meta({ id: 'AmendReportRequest' });
export type AmendReportRequest = z.input<typeof AmendReportRequest>;

/** `POST /api/reports/:id/versions/:n/annul`: the version becomes `invalidated`; `retest` opens a new draft from it. */
export const AnnulReportVersionRequest = z
  .object({ reason: ReportLifeReason, retest: z.boolean().optional() })
  .strict()
  .meta({ id: 'AnnulReportVersionRequest' });
export type AnnulReportVersionRequest = z.input<typeof AnnulReportVersionRequest>;

/**
 * 202 of an annulment: the annulled version, the job rendering its PDF stamped ANULADO / VOID (and
 * then mailing the clinic), and the retest draft's number when one was started.
 */
export const AnnulReportVersionAccepted = JobAcceptedBase.extend({
  reportId: z.string(),
  version: ReportVersionView,
  retestVersion: z.number().int().nullable(),
}).meta({ id: 'AnnulReportVersionAccepted' });
export type AnnulReportVersionAccepted = z.infer<typeof AnnulReportVersionAccepted>;
