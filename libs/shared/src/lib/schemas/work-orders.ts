import { z } from 'zod';
import { Priority, SampleType, Section, values } from '../enums';

export interface WorkOrderSectionView {
  section: Section;
  sampleType: SampleType;
  /** Sample requirement as the bench reads it, e.g. "1 ml de suero, refrigerado". */
  requirement: string;
  analytes: { code: string; name: string }[];
}

export interface WorkOrderView {
  id: string;
  protocolId: string;
  protocolCode: string;
  priority: Priority;
  instructions: string | null;
  sections: WorkOrderSectionView[];
  /** Bumped by every edit: the PDF cache key and the optimistic lock. */
  contentVersion: number;
  updatedAt: string;
}

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
