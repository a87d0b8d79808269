import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuditListQuery, Role } from '@vetlab/shared';
import { Roles } from '../auth/auth.decorators';
import { ZodQuery } from '../common/zod';
import { AuditService } from './audit.service';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles(Role.Staff, Role.Admin)
  @ApiQuery({ name: 'entity', required: false, type: String, description: 'protocol, work_order, report, user' })
  @ApiQuery({ name: 'entityId', required: false, type: String, format: 'uuid' })
  @ApiQuery({ name: 'page', required: false, type: Number })
  @ApiQuery({ name: 'pageSize', required: false, type: Number })
  list(@ZodQuery(AuditListQuery) query: AuditListQuery) {
    return this.audit.list(query);
  }
}
