import { z } from 'zod';
import { Role, values } from '../enums';
import { Ref } from './common';

export const LoginRequest = z.object({
  email: z.email().max(254).transform((s) => s.toLowerCase()),
  password: z.string().min(1).max(200),
});
export type LoginRequest = z.input<typeof LoginRequest>;

export const Me = z
  .object({ id: z.string(), email: z.string(), name: z.string(), role: z.enum(values(Role)), signer: z.boolean(), clinic: Ref.nullable() })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof Me>;

export const LoginResponse = z
  .object({
    accessToken: z.string(),
    /** Seconds until the access token expires. */
    expiresIn: z.number().int(),
    user: Me,
  })
  .meta({ id: 'LoginResponse' });
export type LoginResponse = z.infer<typeof LoginResponse>;

export const UserView = Me.extend({ active: z.boolean(), createdAt: z.string() }).meta({ id: 'UserView' });
export type UserView = z.infer<typeof UserView>;

export const UserListQuery = z.object({
  role: z.enum(values(Role)).optional(),
  clinicId: z.uuid().optional(),
});

export const UpdateUserRequest = z
  .object({ active: z.boolean().optional(), signer: z.boolean().optional(), name: z.string().trim().min(1).max(120).optional() })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to update' });
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;
