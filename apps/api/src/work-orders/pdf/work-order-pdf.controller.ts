import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { IdParams } from '@vetlab/shared';
import type { FastifyReply } from 'fastify';
import { AuthUser } from '../../auth/auth-user';
import { CurrentUser } from '../../auth/auth.decorators';
import { ZodParams } from '../../common/zod';
import { pdfReply } from '../../common/pdf-reply';
import { WorkOrderPdfService } from './work-order-pdf.service';

@ApiTags('work-orders')
@ApiBearerAuth()
@Controller()
export class WorkOrderPdfController {
  constructor(private readonly pdfs: WorkOrderPdfService) {}

  /**
   * The current version's PDF from the cache (ETag, 304, X-Cache: hit), or 202 with its render job
   * (X-Cache: miss).
   */
  @Get('work-orders/:id/pdf')
  @ApiParam({ name: 'id', type: String, format: 'uuid' })
  @ApiProduces('application/pdf')
  async pdf(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams, @Headers('if-none-match') etag: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return pdfReply(reply, await this.pdfs.open(user, id, etag));
  }
}
