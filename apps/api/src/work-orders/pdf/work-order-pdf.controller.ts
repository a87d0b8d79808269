import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { IdParams } from '@vetlab/shared';
import type { Response } from 'express';
import { Public } from '../../auth/auth.decorators';
import { ZodParams } from '../../common/zod';
import { sendWorkOrderPdf } from './work-order-pdf-response';
import { WorkOrderPdfService } from './work-order-pdf.service';

@ApiTags('work-orders')
@ApiBearerAuth()
@Controller()
export class WorkOrderPdfController {
  constructor(private readonly pdfs: WorkOrderPdfService) {}

  /**
   * The current version's PDF from the cache (ETag, 304, X-Cache: hit), or 202 with its render job
   * (X-Cache: miss). The bearer token is checked by the service, in the same query as the work order.
   */
  @Get('work-orders/:id/pdf')
  @Public()
  @ApiParam({ name: 'id', type: String, format: 'uuid' })
  @ApiProduces('application/pdf')
  async pdf(@Headers('authorization') authorization: string | undefined, @ZodParams(IdParams) { id }: IdParams, @Headers('if-none-match') etag: string | undefined, @Res() res: Response) {
    const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : null;
    return sendWorkOrderPdf(res, await this.pdfs.open(token, id, etag));
  }
}
