import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { JwtAuthGuard } from './jwt-auth.guard';
import { TokenService } from './token.service';
import { UserLookupService } from './user-lookup.service';

@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => ({ secret: c.auth.jwtSecret, signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } }),
    }),
  ],
  providers: [TokenService, UserLookupService, { provide: APP_GUARD, useClass: JwtAuthGuard }],
  exports: [TokenService, UserLookupService],
})
export class AuthModule {}
