import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtAuthGuard } from './jwt-auth.guard';
import { LoginRateLimiter } from './login-rate-limiter';
import { RefreshTokenService } from './refresh-token.service';
import { TokenService } from './token.service';
import { UserLookupService } from './user-lookup.service';

@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      // A KeyObject, not the string: given a string, jsonwebtoken first tries to parse it as a PEM
      // public key on every verify (a thrown exception each time) — a sixth of a cached PDF open's CPU.
      useFactory: (c: AppConfig) => ({
        secret: createSecretKey(Buffer.from(c.auth.jwtSecret)) as unknown as string,
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    TokenService,
    UserLookupService,
    RefreshTokenService,
    LoginRateLimiter,
    AuthService,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
  ],
  exports: [TokenService, UserLookupService, RefreshTokenService],
})
export class AuthModule {}
