import { Role } from '@vetlab/shared';

/** Who is calling, as the guard resolved it from the access token and a fresh user lookup. */
export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  signer: boolean;
  clinicId: string | null;
}

export interface AccessTokenPayload {
  sub: string;
  role: Role;
  clinicId: string | null;
}
