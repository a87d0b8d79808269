import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorBody, VerificationView, VerifyParams } from '@vetlab/shared';
import { Public } from '../auth/auth.decorators';
import { ClientIp } from '../auth/session-cookie';
import { ApiZodResponse, ZodParams } from '../common/zod';
import { VerificationService } from './verification.service';

@ApiTags('verification')
@Controller('verify')
export class VerificationController {
  constructor(private readonly verification: VerificationService) {}

  @Public()
  @Get(':code')
  @ApiOperation({ summary: "Public (no login): whether a report's printed verification code is genuine, and its version's state" })
  @ApiZodResponse(200, VerificationView)
  @ApiZodResponse(404, ErrorBody, 'no released report version has this code (also for a malformed code)')
  @ApiZodResponse(429, ErrorBody, 'too many lookups from this address (code RATE_LIMITED); Retry-After says when to try again')
  verify(@ZodParams(VerifyParams) { code }: VerifyParams, @ClientIp() ip: string) {
    return this.verification.verify(code, ip);
  }
}
