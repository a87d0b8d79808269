import { Role } from '@vetlab/shared';
import { AuthUser } from '../auth/auth-user';

/**
 * Lab staff and admins see every clinic; a vet only their own (and a vet without one, nothing).
 * Callers answer a refusal with the same 404 as a missing record, so that another clinic's ids
 * reveal nothing, not even that they exist.
 */
export function canSeeClinic(user: Pick<AuthUser, 'role' | 'clinicId'>, clinicId: string): boolean {
  return user.role !== Role.Vet || (user.clinicId != null && user.clinicId === clinicId);
}
