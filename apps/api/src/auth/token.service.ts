import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { User } from '../users/user.entity';
import { AccessTokenPayload } from './auth-user';

/** How many verified access tokens are remembered (a few per signed-in person). */
const VERIFIED_CACHE_SIZE = 10_000;

/** Short-lived access tokens (JWT, HS256). Refresh tokens are opaque and live in the database. */
@Injectable()
export class TokenService {
  /**
   * Tokens already verified, until they expire. The same bytes signed with the same key verify the
   * same way every time, and a browser sends its token with every request for its whole lifetime;
   * jsonwebtoken's verify (decode, HMAC, claim checks) cost about a fifth of a millisecond per
   * request here, more than a cached PDF open's own work. Expiry is still checked on every use.
   */
  private readonly verified = new Map<string, AccessTokenPayload & { exp: number }>();

  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  issueAccessToken(user: Pick<User, 'id' | 'role'> & { clinic?: { id: string } | null }): { token: string; expiresIn: number } {
    const payload: AccessTokenPayload = { sub: user.id, role: user.role, clinicId: user.clinic?.id ?? null };
    const expiresIn = this.config.auth.accessTtlSeconds;
    return { token: this.jwt.sign(payload, { expiresIn }), expiresIn };
  }

  /** The payload of a valid, unexpired token, or null. */
  verifyAccessToken(token: string): AccessTokenPayload | null {
    const now = Math.floor(Date.now() / 1000);
    const known = this.verified.get(token);
    if (known) {
      if (now < known.exp) return known;
      this.verified.delete(token);
      return null;
    }
    let payload: AccessTokenPayload & { exp?: number };
    try {
      payload = this.jwt.verify<AccessTokenPayload & { exp?: number }>(token);
    } catch {
      return null;
    }
    if (typeof payload.exp === 'number') {
      // Map order is insertion order: the oldest entry goes first when full.
      if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, Object.freeze(payload) as AccessTokenPayload & { exp: number });
    }
    return payload;
  }
}
