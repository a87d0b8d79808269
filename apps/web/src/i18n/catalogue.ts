import { common } from './messages/common';
import { protocols } from './messages/protocols';
import { forms } from './messages/forms';
import { bulk } from './messages/bulk';
import { ops } from './messages/ops';
import { verification } from './messages/verification';
import { notices } from './messages/notices';
import { errors } from './messages/errors';
import { people } from './messages/people';
import { clinics } from './messages/clinics';
import { audit } from './messages/audit';

/**
 * The one catalogue of every string the SPA shows, split by feature only to keep files small.
 * Keys are unique across the parts (checked in catalogue.spec.ts).
 */
export const catalogue = { ...common, ...protocols, ...forms, ...bulk, ...ops, ...verification, ...notices, ...errors, ...people, ...clinics, ...audit };
export const catalogueParts = { common, protocols, forms, bulk, ops, verification, notices, errors, people, clinics, audit };
export type MessageKey = keyof typeof catalogue;
