import { Module } from '@nestjs/common';
import { BulkController } from './bulk.controller';
import { BulkQueryService } from './bulk-query.service';
import { BulkRequestService } from './bulk-request.service';
import { BulkLedgerRepository } from './bulk-ledger.repository';

/** API role: the bulk routes (they validate, write the ledger, enqueue and answer). */
@Module({
  controllers: [BulkController],
  providers: [BulkRequestService, BulkQueryService, BulkLedgerRepository],
  // The operations console retries a failed bulk job through the same resume.
  exports: [BulkRequestService],
})
export class BulkModule {}
