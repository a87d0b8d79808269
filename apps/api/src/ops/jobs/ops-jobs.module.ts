import { Global, Module } from '@nestjs/common';
import { BulkModule } from '../../bulk/bulk.module';
import { STUCK_COUNTER } from '../ops-ports';
import { OpsJobActionsService } from './ops-job-actions.service';
import { OpsJobsController } from './ops-jobs.controller';
import { OpsJobsRepository } from './ops-jobs.repository';
import { OpsJobsService } from './ops-jobs.service';
import { OpsStuckService } from './ops-stuck.service';

/**
 * API role: the console's jobs, stuck work and actions. Global so the overview (ops/queues) can
 * inject STUCK_COUNTER without importing this module (it injects it as optional).
 */
@Global()
@Module({
  imports: [BulkModule],
  controllers: [OpsJobsController],
  providers: [OpsJobsRepository, OpsJobsService, OpsStuckService, OpsJobActionsService, { provide: STUCK_COUNTER, useExisting: OpsStuckService }],
  exports: [STUCK_COUNTER],
})
export class OpsJobsModule {}
