import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IdParams, JobListQuery } from '@vetlab/shared';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/auth.decorators';
import { ZodParams, ZodQuery } from '../common/zod';
import { JobListDto, JobsQueryService } from './jobs-query.service';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsQueryService) {}

  @Get()
  @ApiQuery({ name: 'mine', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'active', required: false, enum: ['true', 'false'] })
  list(@CurrentUser() user: AuthUser, @ZodQuery(JobListQuery) query: JobListDto) {
    return this.jobs.list(user, query);
  }

  @Get(':id')
  @ApiParam({ name: 'id', type: String, format: 'uuid' })
  view(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams) {
    return this.jobs.view(user, id);
  }
}
