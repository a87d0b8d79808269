import { z } from 'zod';
import { values } from '../enums';

/**
 * The public verification page (no login): what anyone holding a printed report learns from its
 * code. Only what the paper already says about who issued it; never the owner or the results.
 */
export const VerificationState = {
  /** The current version of its report. */
  Valid: 'valid',
  /** A later version replaced it (`supersededBy`). */
  Superseded: 'superseded',
  /** Annulled by the lab (`annulledAt`). */
  Annulled: 'annulled',
} as const;
export type VerificationState = (typeof VerificationState)[keyof typeof VerificationState];

/** The SPA's page a report's QR code points to (under PUBLIC_URL). */
export const verificationPagePath = (code: string) => `/verificar/${encodeURIComponent(code)}`;

/** `GET /api/verify/:code`: any string; one that cannot be a code is simply not found. */
export const VerifyParams = z.object({ code: z.string() });
export type VerifyParams = z.infer<typeof VerifyParams>;

export const VerificationView = z
  .object({
    /** The code as printed (upper case, grouped by dashes). */
    code: z.string(),
    state: z.enum(values(VerificationState)),
    protocolCode: z.string(),
    clinicName: z.string(),
    signerName: z.string().nullable(),
    finalizedAt: z.string(),
    version: z.number().int(),
    /** The newest version issued after this one (state superseded). */
    supersededBy: z.number().int().nullable(),
    /** When it was annulled (state annulled). */
    annulledAt: z.string().nullable(),
  })
  .meta({ id: 'VerificationView' });
export type VerificationView = z.infer<typeof VerificationView>;
