import { z } from 'zod';
import { Priority, SampleType, Section, values } from '../enums';

export const WorkOrderSectionView = z
  .object({
    section: z.enum(values(Section)),
    sampleType: z.enum(values(SampleType)),
    /** Sample requirement as the bench reads it, e.g. "1 ml de suero, refrigerado". */
    requirement: z.string(),
    analytes: z.array(z.object({ code: z.string(), name: z.string() })),
  })
  .meta({ id: 'WorkOrderSectionView' });
export type WorkOrderSectionView = z.infer<typeof WorkOrderSectionView>;

export const WorkOrderView = z
  .object({
    id: z.string(),
    protocolId: z.string(),
    protocolCode: z.string(),
    priority: z.enum(values(Priority)),
    instructions: z.string().nullable(),
    sections: z.array(WorkOrderSectionView),
    /** Bumped by every edit: the PDF cache key and the optimistic lock. */
    contentVersion: z.number().int(),
    updatedAt: z.string(),
  })
  .meta({ id: 'WorkOrderView' });
export type WorkOrderView = z.infer<typeof WorkOrderView>;

export const UpdateWorkOrderRequest = z
  .object({
    contentVersion: z.number().int().min(1),
    priority: z.enum(values(Priority)).optional(),
    instructions: z.string().trim().max(2000).nullable().optional(),
    requirements: z
      .array(z.object({ section: z.enum(values(Section)), requirement: z.string().trim().min(1).max(300) }))
      .max(20)
      .optional(),
  })
  .strict();
export type UpdateWorkOrderRequest = z.infer<typeof UpdateWorkOrderRequest>;
