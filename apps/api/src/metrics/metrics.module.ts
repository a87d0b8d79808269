import { Global, Module } from '@nestjs/common';
import { OpsPausesModule } from '../ops/queues/ops-pauses.module';
import { MetricsServer } from './metrics-server';
import { Metrics } from './metrics.service';

/** Every role: this process's metrics, and their listener when METRICS_PORT is set. */
@Global()
@Module({
  imports: [OpsPausesModule],
  providers: [Metrics, MetricsServer],
  exports: [Metrics, MetricsServer],
})
export class MetricsModule {}
