import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditEntryView, AuditListQuery, pageOf, Role } from '@vetlab/shared';
import { Roles } from '../auth/auth.decorators';
import { ApiZodResponse, ZodQuery } from '../common/zod';
import { AuditService } from './audit.service';

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles(Role.Staff, Role.Admin)
  @ApiOperation({ summary: 'Audit trail, newest first, optionally of one entity' })
  @ApiZodResponse(200, pageOf(AuditEntryView))
  list(@ZodQuery(AuditListQuery) query: AuditListQuery) {
    return this.audit.list(query);
  }
}
