import { Module } from '@nestjs/common';
import { VerificationController } from './verification.controller';
import { VerificationRepository } from './verification.repository';
import { VerificationService } from './verification.service';
import { VerifyRateLimiter } from './verify-rate-limiter';

/** The public verification page's API (`GET /api/verify/:code`). */
@Module({ controllers: [VerificationController], providers: [VerificationService, VerificationRepository, VerifyRateLimiter] })
export class VerificationModule {}
