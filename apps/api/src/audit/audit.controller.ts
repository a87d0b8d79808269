import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditEntryView, AuditListQuery, pageOf, Role } from '@vetlab/shared';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiZodResponse, ZodQuery } from '../common/zod';
import { AuditService } from './audit.service';

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles(Role.Staff, Role.Admin)
  @ApiOperation({ summary: 'Audit trail, newest first, filtered by who, record kind, record, action and time; staff read lab records only' })
  @ApiZodResponse(200, pageOf(AuditEntryView))
  list(@CurrentUser() user: AuthUser, @ZodQuery(AuditListQuery) query: AuditListQuery) {
    return this.audit.list(user, query);
  }
}
