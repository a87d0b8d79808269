import { Module } from '@nestjs/common';
import { OpsGateway } from './ops-gateway';
import { OpsOverviewService } from './ops-overview.service';
import { OpsPausesModule } from './ops-pauses.module';
import { OpsQueuesController } from './ops-queues.controller';
import { OpsStatsRepository } from './ops-stats.repository';
import { OpsTicker } from './ops-ticker.service';

/** API role: the console's queue routes, its live overview (ops:watch) and the pauses. */
@Module({
  imports: [OpsPausesModule],
  controllers: [OpsQueuesController],
  providers: [OpsStatsRepository, OpsOverviewService, OpsGateway, OpsTicker],
  exports: [OpsOverviewService],
})
export class OpsQueuesModule {}
