import { z } from 'zod';
import { Role, values } from '../enums';

export const LoginRequest = z.object({
  email: z.email().max(254).transform((s) => s.toLowerCase()),
  password: z.string().min(1).max(200),
});
export type LoginRequest = z.input<typeof LoginRequest>;

export interface Me {
  id: string;
  email: string;
  name: string;
  role: Role;
  signer: boolean;
  clinic: { id: string; name: string } | null;
}

export interface LoginResponse {
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  user: Me;
}

export interface UserView extends Me {
  active: boolean;
  createdAt: string;
}

export const UserListQuery = z.object({
  role: z.enum(values(Role)).optional(),
  clinicId: z.uuid().optional(),
});

export const UpdateUserRequest = z
  .object({ active: z.boolean().optional(), signer: z.boolean().optional(), name: z.string().trim().min(1).max(120).optional() })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to update' });
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;
