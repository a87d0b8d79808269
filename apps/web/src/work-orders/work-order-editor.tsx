import type { WorkOrderView } from '@vetlab/shared';

/** Placeholder: staff editing of a work order. */
export function WorkOrderEditor(_props: { workOrder: WorkOrderView }) {
  return null;
}
