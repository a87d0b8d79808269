import { Module } from '@nestjs/common';
import { AmendService } from './amend.service';
import { FinalizeRequestService } from './finalize-request.service';
import { ReportPdfService } from './report-pdf.service';
import { ReportVersionsRepository } from './report-versions.repository';

/** The HTTP side of finalizing: requests that enqueue, amendments, PDF downloads. */
@Module({
  providers: [FinalizeRequestService, ReportVersionsRepository, AmendService, ReportPdfService],
  exports: [FinalizeRequestService, AmendService, ReportPdfService],
})
export class FinalizeModule {}
