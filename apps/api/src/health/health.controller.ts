import { Controller, Get, Header, HttpStatus, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthView } from '@vetlab/shared';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators';
import { ApiZodResponse } from '../common/zod';
import { HealthService } from './health.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** Same body either way; the status code is what load balancers and `npm start` look at. */
  @Public()
  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Database, Redis and file storage reachability with latencies' })
  @ApiZodResponse(200, HealthView, 'database, Redis and storage answer')
  @ApiZodResponse(503, HealthView, 'database, Redis or storage is down (same body)')
  async get(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthView> {
    const view = await this.health.check();
    reply.status(view.status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return view;
  }
}
