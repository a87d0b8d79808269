import { z } from 'zod';

export const IdSchema = z.uuid({ error: 'must be a UUID' });
export const IdParams = z.object({ id: IdSchema });
export type IdParams = z.infer<typeof IdParams>;

export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
});
export type PageQuery = z.infer<typeof PageQuery>;

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Ref {
  id: string;
  name: string;
}

/** Body of every error response. `details` names the offending fields on a 400. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: { field: string; message: string }[];
  correlationId?: string;
}

/** ISO date (YYYY-MM-DD) or full ISO timestamp. */
export const IsoDate = z.iso.date().or(z.iso.datetime({ offset: true }));
