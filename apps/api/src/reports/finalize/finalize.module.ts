import { Module } from '@nestjs/common';
import { AmendService } from './amend.service';
import { AnnulService } from './annul.service';
import { FinalizeRequestService } from './finalize-request.service';
import { ReportPdfService } from './report-pdf.service';
import { ReportVersionsRepository } from './report-versions.repository';

/** The HTTP side of finalizing: requests that enqueue, amendments, annulments, PDF downloads. */
@Module({
  providers: [FinalizeRequestService, ReportVersionsRepository, AmendService, AnnulService, ReportPdfService],
  exports: [FinalizeRequestService, AmendService, AnnulService, ReportPdfService],
})
export class FinalizeModule {}
