import { Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiParam, ApiTags } from '@nestjs/swagger';
import { IdParams, Role, UpdateResultsRequest } from '@vetlab/shared';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiZodBody, ZodBody, ZodParams } from '../common/zod';
import { ReportsService, UpdateResultsDto } from './reports.service';

/** ZodParams hides the path parameter from Swagger's reflection; declare it. */
const ApiId = () => ApiParam({ name: 'id', type: String, format: 'uuid' });

@ApiTags('reports')
@ApiBearerAuth()
@Controller()
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('reports/:id')
  @ApiId()
  view(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams) {
    return this.reports.view(user, id);
  }

  @Get('protocols/:id/report')
  @ApiId()
  viewByProtocol(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams) {
    return this.reports.viewByProtocol(user, id);
  }

  @Put('reports/:id/draft')
  @ApiId()
  @Roles(Role.Staff, Role.Admin)
  @ApiZodBody(UpdateResultsRequest)
  updateDraft(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams, @ZodBody(UpdateResultsRequest) dto: UpdateResultsDto) {
    return this.reports.updateDraft(user, id, dto);
  }
}
