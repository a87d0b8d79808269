import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdParams, OpsBatchResult, OpsJobPage, OpsJobQuery, OpsJobRow, OpsStuckJob, QueueParams, Role } from '@vetlab/shared';
import { z } from 'zod';
import { AuthUser } from '../../auth/auth-user';
import { CurrentUser, HiddenFrom, Roles } from '../../auth/auth.decorators';
import { ApiZodResponse, ZodParams, ZodQuery } from '../../common/zod';
import { OpsJobActionsService } from './ops-job-actions.service';
import { OpsJobListDto, OpsJobsService } from './ops-jobs.service';

/** The operations console's jobs: list, stuck work and the actions (admins; staff 403, vets 404). */
@ApiTags('ops')
@Roles(Role.Admin)
@HiddenFrom(Role.Vet)
@Controller('ops')
export class OpsJobsController {
  constructor(
    private readonly jobs: OpsJobsService,
    private readonly actions: OpsJobActionsService,
  ) {}

  @Get('jobs')
  @ApiOperation({ summary: 'Job records by queue, state, kind, subject (id or protocol code), who started them and when; newest first (mail has no job records: queue=mail lists nothing, see the mail log)' })
  @ApiZodResponse(200, OpsJobPage)
  list(@ZodQuery(OpsJobQuery) query: OpsJobListDto) {
    return this.jobs.list(query);
  }

  @Get('stuck')
  @ApiOperation({ summary: "Jobs active far longer than their kind's p99, or expected by the database and missing in Redis" })
  @ApiZodResponse(200, z.array(OpsStuckJob))
  stuck() {
    return this.jobs.stuckJobs();
  }

  @Get('jobs/:id')
  @ApiOperation({ summary: 'One job as the console shows it' })
  @ApiZodResponse(200, OpsJobRow)
  one(@ZodParams(IdParams) { id }: IdParams) {
    return this.jobs.one(id);
  }

  @Post('jobs/:id/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run a failed job again from the start under the same id (409 JOB_NOT_RETRYABLE)' })
  @ApiZodResponse(200, OpsJobRow)
  retry(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams) {
    return this.actions.retry(user, id);
  }

  @Post('jobs/:id/discard')
  @HttpCode(200)
  @ApiOperation({ summary: 'Give a failed or retrying job up for good: cancelled, its subject marked failed (409 JOB_NOT_DISCARDABLE)' })
  @ApiZodResponse(200, OpsJobRow)
  discard(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams) {
    return this.actions.discard(user, id);
  }

  @Post('jobs/:id/promote')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run now a job waiting out its retry backoff (409 JOB_NOT_DELAYED)' })
  @ApiZodResponse(200, OpsJobRow)
  promote(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams) {
    return this.actions.promote(user, id);
  }

  @Post('jobs/:id/hand-back')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hand a stuck job back through the stranded-job sweeper (409 JOB_NOT_STUCK)' })
  @ApiZodResponse(200, OpsJobRow)
  handBack(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams) {
    return this.actions.handBack(user, id);
  }

  @Post('queues/:queue/retry-failed')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run again every failed job of a queue that can run again; answers how many' })
  @ApiZodResponse(200, OpsBatchResult)
  retryFailed(@CurrentUser() user: AuthUser, @ZodParams(QueueParams) { queue }: QueueParams) {
    return this.actions.retryFailed(user, queue);
  }
}
