import { z } from 'zod';
import { AuditAction, AuditEntity, values } from '../enums';
import { PageQuery, Ref } from './common';

/**
 * The audit trail's filters (all optional; together they narrow): who, what kind of record, which
 * record, what action, and a time range [from, to). Staff may ask only for lab records.
 */
export const AuditListQuery = PageQuery.extend({
  actorId: z.uuid().optional(),
  entity: z.enum(values(AuditEntity)).optional(),
  entityId: z.uuid().optional(),
  action: z.enum(values(AuditAction)).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
}).refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { path: ['to'], message: 'must be after from', params: { code: 'invalid_value' } });
export type AuditListQuery = z.infer<typeof AuditListQuery>;

export const AuditEntryView = z
  .object({
    id: z.string(),
    at: z.string(),
    /** Null when the system did it. */
    actor: Ref.nullable(),
    entity: z.string(),
    entityId: z.string(),
    action: z.enum(values(AuditAction)),
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
    jobId: z.string().nullable(),
    /**
     * The record in people's words, looked up per page: a protocol's code, a report's or work order's
     * protocol code (a report's with the version the entry is about, "P-2026-000123 v2"), a person's
     * or clinic's name, a bulk run's number ("#17"). Null when the record is gone or has no name.
     */
    label: z.string().nullable(),
    /** The protocol whose page shows the record (protocol, work order, report); null for other kinds. */
    protocolId: z.string().nullable(),
    /**
     * The other records the entry's fields point to, by the id as written, in people's words: a
     * protocol's clinic, vet and panels, a person's clinic (`clinicId`, `vetId`, `panelIds`). An id
     * whose record is gone is left out.
     */
    names: z.record(z.string(), z.string()),
  })
  .meta({ id: 'AuditEntryView' });
export type AuditEntryView = z.infer<typeof AuditEntryView>;
