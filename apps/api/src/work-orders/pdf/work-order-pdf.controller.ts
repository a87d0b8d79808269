import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdParams, WorkOrderPdfAccepted } from '@vetlab/shared';
import type { FastifyReply } from 'fastify';
import { AuthUser } from '../../auth/auth-user';
import { CurrentUser } from '../../auth/auth.decorators';
import { ApiPdf, ZodParams } from '../../common/zod';
import { pdfReply } from '../../common/pdf-reply';
import { WorkOrderPdfService } from './work-order-pdf.service';

@ApiTags('work-orders')
@Controller()
export class WorkOrderPdfController {
  constructor(private readonly pdfs: WorkOrderPdfService) {}

  /**
   * The current version's PDF from the cache (ETag, 304, X-Cache: hit), or 202 with its render job
   * (X-Cache: miss).
   */
  @Get('work-orders/:id/pdf')
  @ApiOperation({ summary: "The work order's PDF (X-Cache: hit), or 202 with its render job (X-Cache: miss)" })
  @ApiPdf(WorkOrderPdfAccepted)
  async pdf(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams, @Headers('if-none-match') etag: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return pdfReply(reply, await this.pdfs.open(user, id, etag));
  }
}
