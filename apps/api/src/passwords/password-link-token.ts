import { createHash, createHmac } from 'node:crypto';

/**
 * A link's token: 32 bytes (base64url) of HMAC-SHA256 over the link's random id, keyed with the
 * server's secret. Unguessable without the secret, and derivable again by the mail sender at send
 * time (also on a retry), so the token is never stored, queued or logged: only its hash is kept.
 * Links already mailed keep working when JWT_SECRET changes; a mail still waiting to go would carry
 * a token that matches nothing, and the admin sends a new link.
 */
export function passwordLinkToken(secret: string, linkId: string): string {
  return createHmac('sha256', secret).update(`password-link:${linkId}`).digest('base64url');
}

/** What the `password_links` table stores and looks up by. */
export const passwordLinkTokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');
