import { Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { BulkItemsQuery, BulkItemStatus, BulkListQuery, BulkRequest, BulkRequestDto, IdParams, Role } from '@vetlab/shared';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiZodBody, ZodBody, ZodParams, ZodQuery } from '../common/zod';
import { BulkQueryService } from './bulk-query.service';
import { BulkRequestService } from './bulk-request.service';

const ApiId = () => ApiParam({ name: 'id', type: String, format: 'uuid' });

/** Bulk actions on protocols: admins only, every route. */
@ApiTags('bulk')
@ApiBearerAuth()
@Roles(Role.Admin)
@Controller()
export class BulkController {
  constructor(
    private readonly requests: BulkRequestService,
    private readonly runs: BulkQueryService,
  ) {}

  @Post('protocols/bulk')
  @HttpCode(202)
  @ApiZodBody(BulkRequest)
  start(@CurrentUser() user: AuthUser, @ZodBody(BulkRequest) body: BulkRequestDto) {
    return this.requests.start(user, body);
  }

  @Get('bulk')
  @ApiQuery({ name: 'active', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'page', required: false, type: Number })
  @ApiQuery({ name: 'pageSize', required: false, type: Number })
  list(@ZodQuery(BulkListQuery) query: BulkListQuery) {
    return this.runs.list(query);
  }

  @Get('bulk/:id')
  @ApiId()
  view(@ZodParams(IdParams) { id }: IdParams) {
    return this.runs.view(id);
  }

  @Get('bulk/:id/items')
  @ApiId()
  @ApiQuery({ name: 'status', required: false, enum: Object.values(BulkItemStatus) })
  @ApiQuery({ name: 'page', required: false, type: Number })
  @ApiQuery({ name: 'pageSize', required: false, type: Number })
  items(@ZodParams(IdParams) { id }: IdParams, @ZodQuery(BulkItemsQuery) query: BulkItemsQuery) {
    return this.runs.items(id, query);
  }

  @Get('bulk/:id/items.csv')
  @ApiId()
  async csv(@ZodParams(IdParams) { id }: IdParams, @Res({ passthrough: true }) reply: FastifyReply) {
    const lines = await this.runs.csv(id);
    reply.header('Content-Type', 'text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="bulk-${id}.csv"`);
    return Readable.from(lines);
  }

  @Post('bulk/:id/cancel')
  @ApiId()
  @HttpCode(200)
  cancel(@ZodParams(IdParams) { id }: IdParams) {
    return this.runs.cancel(id);
  }

  @Post('bulk/:id/retry-failed')
  @ApiId()
  @HttpCode(202)
  retryFailed(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams) {
    return this.requests.retryFailed(user, id);
  }
}
