import { Module } from '@nestjs/common';
import { PauseKeeper } from './pause-keeper.service';
import { QueuePauses } from './queue-pauses.service';
import { QueuePausesRepository } from './queue-pauses.repository';
import { QueueProbe } from './queue-probe';

/** Both roles: queue pauses, and the keeper that ends expired ones and keeps Redis in line with the table. */
@Module({
  providers: [QueuePausesRepository, QueueProbe, QueuePauses, PauseKeeper],
  exports: [QueuePauses, QueueProbe, PauseKeeper],
})
export class OpsPausesModule {}
