import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, LoginResponse, Me } from '@vetlab/shared';
import { DomainError, notFound } from '../common/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { User } from '../users/user.entity';
import { toMe } from '../users/user-views';
import { AuthUser } from './auth-user';
import { LoginRateLimiter } from './login-rate-limiter';
import { hashPassword, verifyPassword } from './password';
import { RefreshTokenService } from './refresh-token.service';
import { SessionCookie } from './session-cookie';
import { TokenService } from './token.service';

/** Never says which of email, password or account state was wrong. */
const badCredentials = () => new DomainError('unauthorized', 'wrong email or password', undefined, ErrorCode.InvalidCredentials);

@Injectable()
export class AuthService {
  /** Verified against when the email is unknown, so both paths cost one argon2 verification. */
  private dummyHash?: Promise<string>;

  constructor(
    private readonly em: EntityManager,
    private readonly tokens: TokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly limiter: LoginRateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(dto: { email: string; password: string }, ip: string, cookie: SessionCookie): Promise<LoginResponse> {
    await this.limiter.admit(dto.email, ip);
    const user = await this.em.findOne(User, { email: dto.email }, { populate: ['clinic', 'passwordHash'] });
    const passwordOk = await verifyPassword(user?.passwordHash ?? (await this.unknownUserHash()), dto.password);
    if (!user || !passwordOk || !user.active) {
      await this.limiter.recordFailure(dto.email);
      throw badCredentials();
    }
    await this.limiter.recordSuccess(dto.email);
    return this.session(user, await this.refreshTokens.issue(user), cookie);
  }

  async refresh(cookie: SessionCookie): Promise<LoginResponse> {
    try {
      const { user, token } = await this.refreshTokens.rotate(cookie.value);
      return this.session(user, token, cookie);
    } catch (e) {
      // A refused token is useless to the browser: drop it so the SPA goes straight to the login form.
      // A service that is down (a 503: the database away, the disk full) says nothing about the
      // token, which stays for the next try.
      if (e instanceof DomainError && e.code === 'unauthorized') cookie.clear();
      throw e;
    }
  }

  async logout(cookie: SessionCookie): Promise<void> {
    await this.refreshTokens.revokeFamilyOf(cookie.value);
    cookie.clear();
  }

  async me(user: AuthUser): Promise<Me> {
    const found = await this.em.findOne(User, { id: user.id }, { populate: ['clinic'] });
    if (!found) throw notFound('user');
    return toMe(found);
  }

  private session(user: User, refreshToken: string, cookie: SessionCookie): LoginResponse {
    cookie.set(refreshToken, this.config.auth.refreshTtlSeconds);
    const access = this.tokens.issueAccessToken(user);
    return { accessToken: access.token, expiresIn: access.expiresIn, user: toMe(user) };
  }

  private unknownUserHash(): Promise<string> {
    this.dummyHash ??= hashPassword('vetlab-no-such-user', this.config.auth.passwordHashCost);
    return this.dummyHash;
  }
}
