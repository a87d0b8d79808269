import { Analyte } from '../catalogue/analyte.entity';
import { Panel } from '../catalogue/panel.entity';
import { Clinic } from '../clinics/clinic.entity';
import { JobRecord } from '../jobs/job.entity';
import { OutboxMessage } from '../mail/outbox.entity';
import { AuditLog } from '../audit/audit-log.entity';
import { RefreshToken } from '../auth/refresh-token.entity';
import { Protocol, ProtocolCounter } from '../protocols/protocol.entity';
import { Report } from '../reports/report.entity';
import { ReportVersion } from '../reports/report-version.entity';
import { ResultRow } from '../reports/result-row.entity';
import { User } from '../users/user.entity';
import { BulkItem } from '../bulk/bulk-item.entity';
import { BulkRun } from '../bulk/bulk-run.entity';
import { WorkOrder } from '../work-orders/work-order.entity';
import { WorkOrderPdf } from '../work-orders/pdf/work-order-pdf.entity';
import { QueuePauseRow } from '../ops/queues/queue-pause.entity';
import { Notice } from '../notices/notice.entity';
import { PasswordLink } from '../passwords/password-link.entity';

/** Every entity, listed explicitly so that a bundled or compiled build finds them without globs. */
export const ENTITIES = [
  Clinic,
  User,
  RefreshToken,
  Analyte,
  Panel,
  Protocol,
  ProtocolCounter,
  WorkOrder,
  WorkOrderPdf,
  Report,
  ReportVersion,
  ResultRow,
  AuditLog,
  JobRecord,
  OutboxMessage,
  BulkRun,
  BulkItem,
  QueuePauseRow,
  Notice,
  PasswordLink,
];
