import { Module } from '@nestjs/common';
import { OpsPausesModule } from './ops-pauses.module';
import { WorkerHeartbeat } from './worker-heartbeat.service';

/** Worker role: this process's heartbeat for the console, and the pause keeper. */
@Module({
  imports: [OpsPausesModule],
  providers: [WorkerHeartbeat],
})
export class OpsWorkerModule {}
