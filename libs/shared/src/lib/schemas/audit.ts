import { z } from 'zod';
import { AuditAction } from '../enums';
import { PageQuery, Ref } from './common';

export const AuditListQuery = PageQuery.extend({
  entity: z.string().trim().min(1).max(40).optional(),
  entityId: z.uuid().optional(),
});
export type AuditListQuery = z.infer<typeof AuditListQuery>;

export interface AuditEntryView {
  id: string;
  at: string;
  /** Null when the system did it. */
  actor: Ref | null;
  entity: string;
  entityId: string;
  action: AuditAction;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  jobId: string | null;
}
