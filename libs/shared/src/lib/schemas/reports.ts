import { z } from 'zod';
import { AnalyteKind, ReportVersionStatus, ResultFlag, Section } from '../enums';
import { IdSchema, Ref } from './common';
import { ReferenceRange } from '../flags';

export interface ResultRowView {
  id: string;
  analyteId: string;
  code: string;
  name: string;
  section: Section;
  unit: string | null;
  kind: AnalyteKind;
  value: string | null;
  numericValue: number | null;
  flag: ResultFlag | null;
  range: ReferenceRange | null;
}

export interface ReportVersionView {
  id: string;
  number: number;
  status: ReportVersionStatus;
  observations: string | null;
  signer: Ref | null;
  finalizedAt: string | null;
  failureReason: string | null;
  supersedesNumber: number | null;
  /** Optimistic lock for editing a draft's rows. */
  lockVersion: number;
  complete: boolean;
  createdAt: string;
  rows: ResultRowView[];
}

export interface ReportView {
  id: string;
  protocolId: string;
  protocolCode: string;
  /** Newest first. Vets receive finalized and superseded versions only. */
  versions: ReportVersionView[];
}

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
