import type { Messages } from '../types';

/** The audit trail screen and every record's history tab. */
export const audit = {} satisfies Messages;
