import { common } from './messages/common';
import { protocols } from './messages/protocols';
import { forms } from './messages/forms';
import { bulk } from './messages/bulk';
import { ops } from './messages/ops';
import { notices } from './messages/notices';

/**
 * The one catalogue of every string the SPA shows, split by feature only to keep files small.
 * Keys are unique across the parts (checked in catalogue.spec.ts).
 */
export const catalogue = { ...common, ...protocols, ...forms, ...bulk, ...ops, ...notices };
export const catalogueParts = { common, protocols, forms, bulk, ops, notices };
export type MessageKey = keyof typeof catalogue;
