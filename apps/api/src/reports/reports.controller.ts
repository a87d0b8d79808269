import { Controller, Get, Headers, HttpCode, Post, Put, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AmendReportRequest,
  AnnulReportVersionAccepted,
  AnnulReportVersionRequest,
  FinalizeAccepted,
  IdParams,
  ReportPdfAccepted,
  ReportVersionParams,
  ReportVersionView,
  ReportView,
  Role,
  UpdateResultsRequest,
} from '@vetlab/shared';
import type { FastifyReply } from 'fastify';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles, SignerOnly } from '../auth/auth.decorators';
import { ApiPdf, ApiZodResponse, ZodBody, ZodParams } from '../common/zod';
import { AmendService } from './finalize/amend.service';
import { AnnulReportVersionDto, AnnulService } from './finalize/annul.service';
import { FinalizeRequestService } from './finalize/finalize-request.service';
import { pdfReply } from '../common/pdf-reply';
import { ReportPdfService } from './finalize/report-pdf.service';
import { ReportsService, UpdateResultsDto } from './reports.service';

@ApiTags('reports')
@Controller()
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly finalizer: FinalizeRequestService,
    private readonly amendments: AmendService,
    private readonly annulments: AnnulService,
    private readonly pdfs: ReportPdfService,
  ) {}

  @Get('reports/:id')
  @ApiOperation({ summary: 'A report with its versions, newest first (vets: released ones only: finalized, superseded, annulled)' })
  @ApiZodResponse(200, ReportView)
  view(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams) {
    return this.reports.view(user, id);
  }

  @Get('protocols/:id/report')
  @ApiOperation({ summary: "A protocol's report" })
  @ApiZodResponse(200, ReportView)
  viewByProtocol(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams) {
    return this.reports.viewByProtocol(user, id);
  }

  @Put('reports/:id/draft')
  @Roles(Role.Staff, Role.Admin)
  @ApiOperation({ summary: "Enter results and observations in the draft version (lockVersion: the draft's optimistic lock)" })
  @ApiZodResponse(200, ReportVersionView)
  updateDraft(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams, @ZodBody(UpdateResultsRequest) dto: UpdateResultsDto) {
    return this.reports.updateDraft(user, id, dto);
  }

  /** 202 with the job; the PDF, status and e-mail follow in the background. */
  @Post('reports/:id/finalize')
  @HttpCode(202)
  @SignerOnly()
  @ApiOperation({ summary: 'Finalize the draft: 202 with the job that renders, stores and mails the PDF' })
  @ApiZodResponse(202, FinalizeAccepted)
  finalize(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams) {
    return this.finalizer.finalize(user, id);
  }

  @Post('reports/:id/amend')
  @SignerOnly()
  @ApiOperation({ summary: 'Open a new draft version correcting the finalized one, with the reason (printed on its PDF)' })
  @ApiZodResponse(201, ReportVersionView)
  amend(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams, @ZodBody(AmendReportRequest) { reason }: AmendReportRequest) {
    return this.amendments.amend(user, id, reason);
  }

  /** 202 with the job that renders the PDF stamped ANULADO / VOID and then tells the clinic. */
  @Post('reports/:id/versions/:n/annul')
  @HttpCode(202)
  @SignerOnly()
  @ApiOperation({ summary: 'Annul a finalized version with a reason (optionally starting a retest draft): 202 with the job rendering its VOID PDF' })
  @ApiZodResponse(202, AnnulReportVersionAccepted)
  annul(@CurrentUser() user: AuthUser, @ZodParams(ReportVersionParams) { id, n }: ReportVersionParams, @ZodBody(AnnulReportVersionRequest) dto: AnnulReportVersionDto) {
    return this.annulments.annul(user, id, n, dto);
  }

  /** The latest finalized version's PDF (ETag, 304), or 202 with the job rendering a missing file. */
  @Get('reports/:id/pdf')
  @ApiOperation({ summary: "The latest finalized version's PDF" })
  @ApiPdf(ReportPdfAccepted)
  async pdf(@CurrentUser() user: AuthUser, @ZodParams(IdParams) { id }: IdParams, @Headers('if-none-match') etag: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return pdfReply(reply, await this.pdfs.latest(user, id, etag));
  }

  @Get('reports/:id/versions/:n/pdf')
  @ApiOperation({ summary: 'The PDF of one released version (finalized, superseded, or annulled: then stamped ANULADO / VOID)' })
  @ApiPdf(ReportPdfAccepted)
  async versionPdf(@CurrentUser() user: AuthUser, @ZodParams(ReportVersionParams) { id, n }: ReportVersionParams, @Headers('if-none-match') etag: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return pdfReply(reply, await this.pdfs.version(user, id, n, etag));
  }
}
