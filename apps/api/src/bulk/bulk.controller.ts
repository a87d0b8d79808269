import { Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { BulkAccepted, BulkItemsQuery, BulkItemView, BulkListQuery, BulkRequest, BulkRequestDto, BulkRunView, IdParams, pageOf, Role } from '@vetlab/shared';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiZodResponse, ZodBody, ZodParams, ZodQuery } from '../common/zod';
import { BulkQueryService } from './bulk-query.service';
import { BulkRequestService } from './bulk-request.service';

/** Bulk actions on protocols: admins only, every route. */
@ApiTags('bulk')
@Roles(Role.Admin)
@Controller()
export class BulkController {
  constructor(
    private readonly requests: BulkRequestService,
    private readonly runs: BulkQueryService,
  ) {}

  @Post('protocols/bulk')
  @HttpCode(202)
  @ApiOperation({ summary: 'Start a bulk action on listed or filtered protocols' })
  @ApiZodResponse(202, BulkAccepted)
  start(@CurrentUser() user: AuthUser, @ZodBody(BulkRequest) body: BulkRequestDto) {
    return this.requests.start(user, body);
  }

  @Get('bulk')
  @ApiOperation({ summary: 'Bulk runs, newest first (active: not over yet)' })
  @ApiZodResponse(200, pageOf(BulkRunView))
  list(@ZodQuery(BulkListQuery) query: BulkListQuery) {
    return this.runs.list(query);
  }

  @Get('bulk/:id')
  @ApiOperation({ summary: 'One bulk run with its counts' })
  @ApiZodResponse(200, BulkRunView)
  view(@ZodParams(IdParams) { id }: IdParams) {
    return this.runs.view(id);
  }

  @Get('bulk/:id/items')
  @ApiOperation({ summary: "A bulk run's items, by outcome" })
  @ApiZodResponse(200, pageOf(BulkItemView))
  items(@ZodParams(IdParams) { id }: IdParams, @ZodQuery(BulkItemsQuery) query: BulkItemsQuery) {
    return this.runs.items(id, query);
  }

  @Get('bulk/:id/items.csv')
  @ApiOperation({ summary: "A bulk run's items as CSV" })
  @ApiZodResponse(200, 'text/csv')
  async csv(@ZodParams(IdParams) { id }: IdParams, @Res({ passthrough: true }) reply: FastifyReply) {
    const lines = await this.runs.csv(id);
    reply.header('Content-Type', 'text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="bulk-${id}.csv"`);
    return Readable.from(lines);
  }

  @Post('bulk/:id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a bulk run: it stops after its current chunk, the items not reached are cancelled' })
  @ApiZodResponse(200, BulkRunView)
  cancel(@ZodParams(IdParams) { id }: IdParams) {
    return this.runs.cancel(id);
  }

  @Post('bulk/:id/retry-failed')
  @HttpCode(202)
  @ApiOperation({ summary: 'Start a bulk run of the failed items of this one' })
  @ApiZodResponse(202, BulkAccepted)
  retryFailed(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams) {
    return this.requests.retryFailed(user, id);
  }

  @Post('bulk/:id/resume')
  @HttpCode(202)
  @ApiOperation({ summary: 'Resume a failed bulk run from its ledger: the items not processed yet are processed, done ones are not redone' })
  @ApiZodResponse(202, BulkAccepted)
  resume(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams) {
    return this.requests.resume(user, id);
  }
}
