import { Controller, Get, Header, Headers, HttpException, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthSummary, HealthView, Role } from '@vetlab/shared';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators';
import { authenticate } from '../auth/jwt-auth.guard';
import { UserLookupService } from '../auth/user-lookup.service';
import { ApiZodResponse } from '../common/zod';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { HealthService } from './health.service';

const HealthAnswer = HealthView.or(HealthSummary);

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly users: UserLookupService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The status code is what load balancers and `npm start` look at. Outside production the body
   * is the details for anybody; in production anybody gets the summary (up, and which service is
   * down) and an admin's bearer token the details.
   */
  @Public()
  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Database, Redis and file storage reachability; with latencies and Redis durability outside production, or for an admin in production' })
  @ApiHeader({ name: 'Authorization', required: false, description: "production: an admin's `Bearer <token>` gets the details (HealthView), anybody else the summary" })
  @ApiZodResponse(200, HealthAnswer, 'database, Redis and storage answer')
  @ApiZodResponse(503, HealthAnswer, 'database, Redis or storage is down (same body)')
  async get(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<HealthView | HealthSummary> {
    const details = this.config.env !== 'production' || (await this.isAdmin(authorization));
    const view = await this.health.check();
    reply.status(view.status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return details ? view : summarize(view);
  }

  /**
   * No header: not an admin (a load balancer). A header that is not an admin's valid token is
   * answered as on any admin route (401, 403). A database that cannot say who it is: the summary,
   * which then tells that the database is down.
   */
  private async isAdmin(authorization: string | undefined): Promise<boolean> {
    if (!authorization) return false;
    try {
      await authenticate(this.users, authorization, { roles: [Role.Admin], signerOnly: false });
      return true;
    } catch (e) {
      if (e instanceof HttpException) throw e;
      return false;
    }
  }
}

export function summarize(view: HealthView): HealthSummary {
  return { status: view.status, down: [...(view.database.ok ? [] : ['database' as const]), ...(view.redis.ok ? [] : ['redis' as const]), ...(view.storage.ok ? [] : ['storage' as const])] };
}
