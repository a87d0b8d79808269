import { Controller, Get, Headers, HttpCode, Post, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { IdParams, ReportVersionParams, Role, UpdateResultsRequest } from '@vetlab/shared';
import type { FastifyReply } from 'fastify';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles, SignerOnly } from '../auth/auth.decorators';
import { ApiZodBody, ZodBody, ZodParams } from '../common/zod';
import { AmendService } from './finalize/amend.service';
import { FinalizeRequestService } from './finalize/finalize-request.service';
import { pdfReply } from '../common/pdf-reply';
import { ReportPdfService } from './finalize/report-pdf.service';
import { ReportsService, UpdateResultsDto } from './reports.service';

/** ZodParams hides the path parameter from Swagger's reflection; declare it. */
const ApiId = () => ApiParam({ name: 'id', type: String, format: 'uuid' });

@ApiTags('reports')
@ApiBearerAuth()
@Controller()
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly finalizer: FinalizeRequestService,
    private readonly amendments: AmendService,
    private readonly pdfs: ReportPdfService,
  ) {}

  @Get('reports/:id')
  @ApiId()
  view(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams) {
    return this.reports.view(user, id);
  }

  @Get('protocols/:id/report')
  @ApiId()
  viewByProtocol(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams) {
    return this.reports.viewByProtocol(user, id);
  }

  @Put('reports/:id/draft')
  @ApiId()
  @Roles(Role.Staff, Role.Admin)
  @ApiZodBody(UpdateResultsRequest)
  updateDraft(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams, @ZodBody(UpdateResultsRequest) dto: UpdateResultsDto) {
    return this.reports.updateDraft(user, id, dto);
  }

  /** 202 with the job; the PDF, status and e-mail follow in the background. */
  @Post('reports/:id/finalize')
  @HttpCode(202)
  @ApiId()
  @SignerOnly()
  finalize(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams) {
    return this.finalizer.finalize(user, id);
  }

  @Post('reports/:id/amend')
  @ApiId()
  @SignerOnly()
  amend(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams) {
    return this.amendments.amend(user, id);
  }

  /** The latest finalized version's PDF (ETag, 304), or 202 with the job rendering a missing file. */
  @Get('reports/:id/pdf')
  @ApiId()
  @ApiProduces('application/pdf')
  async pdf(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams, @Headers('if-none-match') etag: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return pdfReply(reply, await this.pdfs.latest(user, id, etag));
  }

  @Get('reports/:id/versions/:n/pdf')
  @ApiId()
  @ApiParam({ name: 'n', type: Number })
  @ApiProduces('application/pdf')
  async versionPdf(@CurrentUser() user: AuthUser, @ZodParams(ReportVersionParams) { id, n }: ReportVersionParams, @Headers('if-none-match') etag: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return pdfReply(reply, await this.pdfs.version(user, id, n, etag));
  }
}
