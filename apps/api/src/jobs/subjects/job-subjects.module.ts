import { Global, Module } from '@nestjs/common';
import { BulkLedgerRepository } from '../../bulk/bulk-ledger.repository';
import { FinalizeStatusService } from '../../reports/finalize/finalize-status.service';
import { ReportVersionsRepository } from '../../reports/finalize/report-versions.repository';
import { JobSubjects } from './job-subjects.service';

/**
 * Both roles: what a job's end means for its subject (JobSubjects). The worker fails subjects when
 * a job fails for good; the API when an admin discards or retries one.
 */
@Global()
@Module({
  providers: [JobSubjects, FinalizeStatusService, ReportVersionsRepository, BulkLedgerRepository],
  exports: [JobSubjects],
})
export class JobSubjectsModule {}
