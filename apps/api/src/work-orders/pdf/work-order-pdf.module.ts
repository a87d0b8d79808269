import { Module } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module';
import { WorkOrderPdfController } from './work-order-pdf.controller';
import { WorkOrderPdfQueueModule } from './work-order-pdf-queue.module';
import { WorkOrderPdfService } from './work-order-pdf.service';

/** API role: `GET /api/work-orders/:id/pdf`. */
@Module({
  imports: [WorkOrderPdfQueueModule, AuthModule],
  controllers: [WorkOrderPdfController],
  providers: [WorkOrderPdfService],
})
export class WorkOrderPdfModule {}
