import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { OpsOverview, PauseQueueRequest, QueueParams, QueuePause, Role } from '@vetlab/shared';
import { z } from 'zod';
import { AuthUser } from '../../auth/auth-user';
import { CurrentUser, HiddenFrom, Roles } from '../../auth/auth.decorators';
import { ApiZodResponse, ZodBody, ZodParams } from '../../common/zod';
import { OpsOverviewService } from './ops-overview.service';
import { QueuePauses } from './queue-pauses.service';

/** The operations console's queues: admins only; vets are not told the routes exist (404), staff get 403. */
@ApiTags('ops')
@Roles(Role.Admin)
@HiddenFrom(Role.Vet)
@Controller('ops')
export class OpsQueuesController {
  constructor(
    private readonly overview: OpsOverviewService,
    private readonly pauses: QueuePauses,
  ) {}

  @Get('overview')
  @ApiOperation({ summary: 'Every queue at a glance: counts, pause, workers, the last hour (redis: false and zero counts while Redis is away)' })
  @ApiZodResponse(200, OpsOverview)
  get(): Promise<OpsOverview> {
    return this.overview.get();
  }

  @Get('pauses')
  @ApiOperation({ summary: 'Queues paused now' })
  @ApiZodResponse(200, z.array(QueuePause))
  list(): Promise<QueuePause[]> {
    return this.pauses.list();
  }

  @Post('queues/:queue/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause a queue: workers take none of its jobs until it is resumed or the pause expires (409 QUEUE_ALREADY_PAUSED)' })
  @ApiZodResponse(200, QueuePause)
  pause(@CurrentUser() user: AuthUser, @ZodParams(QueueParams) { queue }: QueueParams, @ZodBody(PauseQueueRequest) body: z.output<typeof PauseQueueRequest>): Promise<QueuePause> {
    return this.pauses.pause(user, queue, body);
  }

  @Post('queues/:queue/resume')
  @HttpCode(204)
  @ApiOperation({ summary: 'Resume a paused queue (409 QUEUE_NOT_PAUSED)' })
  @ApiResponse({ status: 204, description: 'resumed' })
  async resume(@CurrentUser() user: AuthUser, @ZodParams(QueueParams) { queue }: QueueParams): Promise<void> {
    await this.pauses.resume(user, queue);
  }
}
