import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { OpsBatchResult, OpsMailPage, OpsMailQuery, ResendFailedMailsRequest, Role } from '@vetlab/shared';
import type { z } from 'zod';
import { AuthUser } from '../../auth/auth-user';
import { CurrentUser, HiddenFrom, Roles } from '../../auth/auth.decorators';
import { ApiZodResponse, ZodBody, ZodQuery } from '../../common/zod';
import { MailsService } from '../../mail/mails.service';
import { OpsMailsService } from './ops-mails.service';

/**
 * The console's mail log (admins; staff 403, vets 404). Sending one mail again is
 * `POST /api/mails/:id/resend`, the report page's route: one rule for both.
 */
@ApiTags('ops')
@Roles(Role.Admin)
@HiddenFrom(Role.Vet)
@Controller('ops/mails')
export class OpsMailsController {
  constructor(
    private readonly log: OpsMailsService,
    private readonly mails: MailsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every outbox message, newest first: recipient, what it carries, status, attempts, last error, server answer, Message-ID' })
  @ApiZodResponse(200, OpsMailPage)
  list(@ZodQuery(OpsMailQuery) query: z.output<typeof OpsMailQuery>) {
    return this.log.list(query);
  }

  @Post('resend-failed')
  @HttpCode(200)
  @ApiOperation({ summary: "Send every failed mail of a clinic again now (each audited); count 0 when none; unknown clinic 404" })
  @ApiZodResponse(200, OpsBatchResult)
  resendFailed(@CurrentUser() user: AuthUser, @ZodBody(ResendFailedMailsRequest) { clinicId }: ResendFailedMailsRequest) {
    return this.mails.resendFailedOfClinic(user, clinicId);
  }
}
