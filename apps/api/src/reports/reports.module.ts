import { Module } from '@nestjs/common';
import { FinalizeModule } from './finalize/finalize.module';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

@Module({ imports: [FinalizeModule], controllers: [ReportsController], providers: [ReportsService], exports: [ReportsService] })
export class ReportsModule {}
