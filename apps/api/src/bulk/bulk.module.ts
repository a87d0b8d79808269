import { Module } from '@nestjs/common';
import { BulkController } from './bulk.controller';
import { BulkQueryService } from './bulk-query.service';
import { BulkRequestService } from './bulk-request.service';
import { BulkLedgerRepository } from './bulk-ledger.repository';

/** API role: the bulk routes (they validate, write the ledger, enqueue and answer). */
@Module({
  controllers: [BulkController],
  providers: [BulkRequestService, BulkQueryService, BulkLedgerRepository],
})
export class BulkModule {}
