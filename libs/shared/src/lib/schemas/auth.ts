import { z } from 'zod';
import { Role, values } from '../enums';
import { PasswordSchema } from '../password-policy';
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

export const UserView = Me.extend({
  active: z.boolean(),
  createdAt: z.string(),
  /** A signer's signature image is stored (GET /users/{id}/signature). */
  hasSignature: z.boolean(),
}).meta({ id: 'UserView' });
export type UserView = z.infer<typeof UserView>;

export const UserListQuery = z.object({
  role: z.enum(values(Role)).optional(),
  clinicId: z.uuid().optional(),
  active: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  /** Part of the name or e-mail, case-insensitive. */
  q: z.string().trim().min(1).max(100).optional(),
});

const PersonName = z.string().trim().min(1).max(120);

/**
 * A new person. A vet belongs to one clinic (`clinicId` required); staff and admins to none. Only
 * staff can be signers. The person gets no password here: a one-time link to set one is e-mailed.
 */
export const CreateUserRequest = z
  .object({
    email: z.email().max(254).transform((s) => s.toLowerCase()),
    name: PersonName,
    role: z.enum(values(Role)),
    clinicId: z.uuid().nullish(),
    signer: z.boolean().default(false),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.role === Role.Vet && !v.clinicId) ctx.addIssue({ code: 'custom', path: ['clinicId'], message: 'a vet needs a clinic', params: { code: 'required' } });
    if (v.role !== Role.Vet && v.clinicId) ctx.addIssue({ code: 'custom', path: ['clinicId'], message: 'only vets belong to a clinic', params: { code: 'not_allowed' } });
    if (v.role !== Role.Staff && v.signer) ctx.addIssue({ code: 'custom', path: ['signer'], message: 'only staff can be signers', params: { code: 'not_allowed' } });
  });
export type CreateUserRequest = z.input<typeof CreateUserRequest>;

/** Edits of a person; `clinicId` moves a vet to another clinic. Nobody edits their own role flags or activity. */
export const UpdateUserRequest = z
  .object({ active: z.boolean().optional(), signer: z.boolean().optional(), name: PersonName.optional(), clinicId: z.uuid().optional() })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to update' });
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

/** A one-time link to set a password was e-mailed (through the outbox) and expires then. */
export const PasswordLinkView = z.object({ expiresAt: z.string() }).meta({ id: 'PasswordLinkView' });
export type PasswordLinkView = z.infer<typeof PasswordLinkView>;

/** What the set-password page shows before the person types (GET /auth/password-link?token=). */
export const PasswordLinkInfo = z.object({ email: z.string(), name: z.string(), expiresAt: z.string() }).meta({ id: 'PasswordLinkInfo' });
export type PasswordLinkInfo = z.infer<typeof PasswordLinkInfo>;

export const PasswordLinkQuery = z.object({ token: z.string().min(20).max(200) });
export type PasswordLinkQuery = z.infer<typeof PasswordLinkQuery>;

/** Sets a password through a one-time link (no login); the link is spent. */
export const SetPasswordRequest = z.object({ token: z.string().min(20).max(200), password: PasswordSchema }).strict();
export type SetPasswordRequest = z.infer<typeof SetPasswordRequest>;

/** A signed-in person changes their own password, giving the current one. */
export const ChangePasswordRequest = z
  .object({ currentPassword: z.string().min(1).max(200), newPassword: PasswordSchema })
  .strict()
  .refine((v) => v.currentPassword !== v.newPassword, { path: ['newPassword'], message: 'must differ from the current password', params: { code: 'not_allowed' } });
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

/** A signature image: PNG or JPEG by content, at most this many bytes. */
export const SIGNATURE_MAX_BYTES = 500 * 1024;

/**
 * The body of a signature upload: the image's bytes themselves (Content-Type image/png, image/jpeg
 * or application/octet-stream), never JSON. What they are is decided by their content, server-side.
 */
export const SignatureImageBody = z
  .custom<Uint8Array>((v) => v instanceof Uint8Array && v.length > 0, { error: 'send the image itself as the body (Content-Type image/png, image/jpeg or application/octet-stream)' })
  .meta({ type: 'string', format: 'binary' });
