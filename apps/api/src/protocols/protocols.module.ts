import { Module } from '@nestjs/common';
import { WorkOrderPdfQueueModule } from '../work-orders/pdf/work-order-pdf-queue.module';
import { IntakeService } from './intake.service';
import { ProtocolTransitionsService } from './protocol-transitions.service';
import { ProtocolsController } from './protocols.controller';
import { ProtocolsService } from './protocols.service';

@Module({
  imports: [WorkOrderPdfQueueModule],
  controllers: [ProtocolsController],
  providers: [ProtocolsService, IntakeService, ProtocolTransitionsService],
  exports: [ProtocolsService, ProtocolTransitionsService],
})
export class ProtocolsModule {}
