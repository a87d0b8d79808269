import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { User } from '../users/user.entity';
import { AccessTokenPayload } from './auth-user';

/** Short-lived access tokens (JWT, HS256). Refresh tokens are opaque and live in the database. */
@Injectable()
export class TokenService {
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
    try {
      return this.jwt.verify<AccessTokenPayload>(token);
    } catch {
      return null;
    }
  }
}
