import { Module } from '@nestjs/common';
import { WorkOrderPdfQueueModule } from './pdf/work-order-pdf-queue.module';
import { WorkOrdersController } from './work-orders.controller';
import { WorkOrdersService } from './work-orders.service';

@Module({ imports: [WorkOrderPdfQueueModule], controllers: [WorkOrdersController], providers: [WorkOrdersService], exports: [WorkOrdersService] })
export class WorkOrdersModule {}
