import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdParams, JobListQuery, JobView } from '@vetlab/shared';
import { z } from 'zod';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/auth.decorators';
import { ApiZodResponse, ZodParams, ZodQuery } from '../common/zod';
import { JobListDto, JobsQueryService } from './jobs-query.service';

@ApiTags('jobs')
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsQueryService) {}

  @Get()
  @ApiOperation({ summary: 'Jobs this user may see (mine: started by them; active: not over yet)' })
  @ApiZodResponse(200, z.array(JobView))
  list(@CurrentUser() user: AuthUser, @ZodQuery(JobListQuery) query: JobListDto) {
    return this.jobs.list(user, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One job: state, progress, stage and result' })
  @ApiZodResponse(200, JobView)
  view(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams) {
    return this.jobs.view(user, id);
  }
}
