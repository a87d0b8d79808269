import type { Messages } from '../types';

/** Clinics (admin edits, a vet reads their own) and signers' signatures. */
export const clinics = {} satisfies Messages;
