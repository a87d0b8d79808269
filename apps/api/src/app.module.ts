import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { RedisModule } from './redis/redis.module';
import { RealtimeModule } from './realtime/realtime.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { UsersModule } from './users/users.module';
import { ClinicsModule } from './clinics/clinics.module';
import { SignaturesModule } from './signatures/signatures.module';
import { CatalogueModule } from './catalogue/catalogue.module';
import { ProtocolsModule } from './protocols/protocols.module';
import { WorkOrdersModule } from './work-orders/work-orders.module';
import { ReportsModule } from './reports/reports.module';
import { HealthModule } from './health/health.module';
import { RealtimeGatewayModule } from './realtime/realtime-gateway.module';
import { JobsModule } from './jobs/jobs.module';
import { JobsWorkerModule } from './jobs/jobs-worker.module';
import { JobSubjectsModule } from './jobs/subjects/job-subjects.module';
import { MailQueueModule } from './mail/mail-queue.module';
import { MailModule } from './mail/mail.module';
import { FinalizeWorkerModule } from './reports/finalize/finalize-worker.module';
import { MailWorkerModule } from './mail/mail-worker.module';
import { StorageModule } from './storage/storage.module';
import { PdfModule } from './pdf/pdf.module';
import { BulkModule } from './bulk/bulk.module';
import { BulkWorkerModule } from './bulk/bulk-worker.module';
import { OpsJobsModule } from './ops/jobs/ops-jobs.module';
import { WorkOrderPdfQueueModule } from './work-orders/pdf/work-order-pdf-queue.module';
import { WorkOrderPdfModule } from './work-orders/pdf/work-order-pdf.module';
import { WorkOrderPdfWorkerModule } from './work-orders/pdf/work-order-pdf-worker.module';
import { OpsMailsModule } from './ops/mails/ops-mails.module';
import { OpsQueuesModule } from './ops/queues/ops-queues.module';
import { OpsWorkerModule } from './ops/queues/ops-worker.module';
import { VerificationModule } from './verification/verification.module';
import { NoticesModule } from './notices/notices.module';
import { NoticesApiModule } from './notices/notices-api.module';
import { AdminDocsModule } from './common/openapi';
import { MetricsModule } from './metrics/metrics.module';

/**
 * Modules every role needs: configuration, database, Redis, the event emitter, domain services,
 * file storage, and the queues with their producer (the api role enqueues, never processes).
 */
const core = (config: AppConfig) => [
  ConfigModule.forRoot(config),
  DatabaseModule.forRoot(config),
  RedisModule,
  RealtimeModule,
  AuditModule,
  StorageModule,
  JobsModule,
  JobSubjectsModule,
  MailQueueModule,
  WorkOrderPdfQueueModule,
  NoticesModule,
  MetricsModule,
];

/** HTTP controllers and the socket.io gateway. */
const apiModules = [
  AuthModule,
  UsersModule,
  ClinicsModule,
  SignaturesModule,
  CatalogueModule,
  ProtocolsModule,
  WorkOrdersModule,
  WorkOrderPdfModule,
  ReportsModule,
  MailModule,
  HealthModule,
  RealtimeGatewayModule,
  BulkModule,
  OpsMailsModule,
  OpsQueuesModule,
  OpsJobsModule,
  VerificationModule,
  NoticesApiModule,
];

/** Queue processors and the render pool they use (later issues add theirs here). */
const workerModules: DynamicModule['imports'] = [JobsWorkerModule, PdfModule, FinalizeWorkerModule, MailWorkerModule, BulkWorkerModule, WorkOrderPdfWorkerModule, OpsWorkerModule];

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const role = config.role;
    return {
      module: AppModule,
      imports: [
        ...core(config),
        ...(role === 'api' || role === 'all' ? apiModules : []),
        // Production serves the OpenAPI document to admins only, through the guard (see setupOpenApi).
        ...((role === 'api' || role === 'all') && config.env === 'production' ? [AdminDocsModule] : []),
        ...(role === 'worker' || role === 'all' ? (workerModules ?? []) : []),
      ],
    };
  }
}
