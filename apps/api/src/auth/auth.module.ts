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
      // A KeyObject, made once: given a string, jsonwebtoken parses it as a public key first on every
      // verify (about a millisecond of CPU per request) before falling back to a secret key.
      useFactory: (c: AppConfig) => ({ secret: createSecretKey(Buffer.from(c.auth.jwtSecret)), signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } }),
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
