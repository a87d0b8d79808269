import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdParams, MailView, Role } from '@vetlab/shared';
import { z } from 'zod';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles, SignerOnly } from '../auth/auth.decorators';
import { ApiZodResponse, ZodParams } from '../common/zod';
import { MailsService } from './mails.service';

/**
 * The report mails (outbox) for the lab: staff and admins read them; signers and admins send one
 * again (the report page and the operations console both use this route: one rule, one place).
 */
@ApiTags('mails')
@Roles(Role.Staff, Role.Admin)
@Controller()
export class MailsController {
  constructor(private readonly mails: MailsService) {}

  @Get('reports/:id/mails')
  @ApiOperation({ summary: "Every mail of a report's versions, newest version first: status, attempts, last error, next attempt" })
  @ApiZodResponse(200, z.array(MailView))
  ofReport(@ZodParams(IdParams) { id }: IdParams) {
    return this.mails.ofReport(id);
  }

  @Post('mails/:id/resend')
  @HttpCode(200)
  @SignerOnly()
  @ApiOperation({ summary: 'Send a failed (or retry-waiting) mail again now (signers and admins); a sent mail is 409' })
  @ApiZodResponse(200, MailView)
  resend(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams) {
    return this.mails.resend(user, id);
  }
}
