/** Enum-like constant objects: usable as values, as types and as zod enums on both sides. */
type ValueOf<T> = T[keyof T];

export const Role = { Vet: 'vet', Staff: 'staff', Admin: 'admin' } as const;
export type Role = ValueOf<typeof Role>;

export const ProtocolStatus = {
  Submitted: 'submitted',
  Received: 'received',
  InAnalysis: 'in_analysis',
  Reported: 'reported',
  Rejected: 'rejected',
} as const;
export type ProtocolStatus = ValueOf<typeof ProtocolStatus>;

export const ReportVersionStatus = {
  Draft: 'draft',
  Finalizing: 'finalizing',
  Finalized: 'finalized',
  FinalizeFailed: 'finalize_failed',
  Superseded: 'superseded',
  /** Annulled with a reason: still downloadable, as a PDF stamped ANULADO / VOID. */
  Invalidated: 'invalidated',
} as const;
export type ReportVersionStatus = ValueOf<typeof ReportVersionStatus>;

/** Versions whose results may be edited and that may be finalized: a draft, or a failed finalize. */
export const EDITABLE_VERSION_STATUSES: readonly ReportVersionStatus[] = [ReportVersionStatus.Draft, ReportVersionStatus.FinalizeFailed];
/**
 * Versions that have a PDF and that vets may see. An annulled (invalidated) one stays: its download
 * is then the PDF stamped ANULADO / VOID, never the original bytes.
 */
export const RELEASED_VERSION_STATUSES: readonly ReportVersionStatus[] = [
  ReportVersionStatus.Finalized,
  ReportVersionStatus.Superseded,
  ReportVersionStatus.Invalidated,
];
/** Versions a signer may annul: released and not annulled yet. */
export const ANNULLABLE_VERSION_STATUSES: readonly ReportVersionStatus[] = [ReportVersionStatus.Finalized, ReportVersionStatus.Superseded];

/** The language of a clinic's report PDFs, work-order PDFs and mails. */
export const ReportLanguage = { Es: 'es', En: 'en' } as const;
export type ReportLanguage = ValueOf<typeof ReportLanguage>;

/** An outbox mail: waiting (maybe for a retry), claimed by a sender, delivered, or given up. */
export const MailStatus = { Pending: 'pending', Sending: 'sending', Sent: 'sent', Failed: 'failed' } as const;
export type MailStatus = ValueOf<typeof MailStatus>;

/**
 * What an outbox mail carries: a report version's PDF, the notice that a version was annulled, a bulk
 * run's digest, or a person's one-time link to set a password.
 */
export const MailKind = { ReportVersion: 'report_version', ReportAnnulled: 'report_annulled', BulkDigest: 'bulk_digest', PasswordLink: 'password_link' } as const;
export type MailKind = ValueOf<typeof MailKind>;

/**
 * Mails staff may send again now: failed ones, and pending ones that already failed an attempt
 * (waiting on the retry schedule). A sent mail is never sent again.
 */
export const canResendMail = (m: { status: MailStatus; attempts: number }): boolean =>
  m.status === MailStatus.Failed || (m.status === MailStatus.Pending && m.attempts > 0);

/** A result is missing until it has a non-blank value (the SQL twin: ResultRowsRepository's MISSING). */
export const isMissingResult = (value: string | null | undefined): boolean => value == null || value.trim() === '';

export const ResultFlag = { Low: 'low', High: 'high', Normal: 'normal', Abnormal: 'abnormal' } as const;
export type ResultFlag = ValueOf<typeof ResultFlag>;

export const AnalyteKind = { Numeric: 'numeric', Qualitative: 'qualitative' } as const;
export type AnalyteKind = ValueOf<typeof AnalyteKind>;

export const Species = { Dog: 'dog', Cat: 'cat', Horse: 'horse', Cow: 'cow' } as const;
export type Species = ValueOf<typeof Species>;

export const Sex = { Male: 'male', Female: 'female', Unknown: 'unknown' } as const;
export type Sex = ValueOf<typeof Sex>;

export const Priority = { Routine: 'routine', Urgent: 'urgent', Stat: 'stat' } as const;
export type Priority = ValueOf<typeof Priority>;

export const SampleType = {
  WholeBloodEdta: 'whole_blood_edta',
  Serum: 'serum',
  Plasma: 'plasma',
  Urine: 'urine',
  Feces: 'feces',
  Swab: 'swab',
  Tissue: 'tissue',
} as const;
export type SampleType = ValueOf<typeof SampleType>;

/** Laboratory sections; analytes and work-order analyses are grouped by these. */
export const Section = {
  Hematology: 'hemograma',
  Biochemistry: 'bioquimica_serica',
  Urinalysis: 'urianalisis',
  Coagulation: 'coagulacion',
  Endocrinology: 'endocrinologia',
  Parasitology: 'parasitologia',
  Serology: 'serologia',
} as const;
export type Section = ValueOf<typeof Section>;

/** Manual protocol transitions that staff (or a bulk run) may request. */
export const ProtocolAction = {
  Receive: 'receive',
  StartAnalysis: 'start_analysis',
  Reject: 'reject',
} as const;
export type ProtocolAction = ValueOf<typeof ProtocolAction>;

export const JobKind = {
  FinalizeReport: 'finalize_report',
  WorkOrderPdf: 'work_order_pdf',
  BulkProtocols: 'bulk_protocols',
  SendEmail: 'send_email',
  /** Renders again the PDF of a finalized version whose file is missing (seeded, or lost). */
  ReportPdf: 'report_pdf',
} as const;
export type JobKind = ValueOf<typeof JobKind>;

/** Our own small job state enum; Bull's states map onto it. */
export const JobState = {
  Queued: 'queued',
  Active: 'active',
  Retrying: 'retrying',
  Completed: 'completed',
  Failed: 'failed',
  Cancelled: 'cancelled',
} as const;
export type JobState = ValueOf<typeof JobState>;

/** Job states that are not over yet. */
export const ACTIVE_JOB_STATES: readonly JobState[] = [JobState.Queued, JobState.Active, JobState.Retrying];
/** Job states that are over. */
export const FINISHED_JOB_STATES: readonly JobState[] = [JobState.Completed, JobState.Failed, JobState.Cancelled];

/** Stages of the report jobs, in order (a re-render of a lost PDF stops after storing). */
export const ReportJobStage = {
  Loading: 'loading',
  Rendering: 'rendering',
  Storing: 'storing',
  UpdatingStatus: 'updating_status',
  QueuingEmail: 'queuing_email',
} as const;
export type ReportJobStage = ValueOf<typeof ReportJobStage>;

export const AuditAction = {
  Create: 'create',
  StatusChange: 'status_change',
  ResultEdit: 'result_edit',
  WorkOrderEdit: 'work_order_edit',
  UserUpdate: 'user_update',
  MailResend: 'mail_resend',
  /** The operations console's actions (entity: job, queue or mail). */
  JobRetry: 'job_retry',
  JobDiscard: 'job_discard',
  JobPromote: 'job_promote',
  JobHandBack: 'job_hand_back',
  QueuePause: 'queue_pause',
  QueueResume: 'queue_resume',
  /** A signer amended (corrected) a finalized report version: the reason is in `after`. */
  Amend: 'amend',
  /** A signer annulled (invalidated) a released report version: the reason is in `after`. */
  Annul: 'annul',
  /** An admin created a person (entity user) or a clinic (entity clinic). */
  UserCreate: 'user_create',
  ClinicCreate: 'clinic_create',
  ClinicUpdate: 'clinic_update',
  /** An admin sent a person a one-time link to set a password (`after`: its expiry, never the token). */
  PasswordLinkSent: 'password_link_sent',
  /** A person set their password through a one-time link. */
  PasswordSet: 'password_set',
  /** A person changed their own password (signed in, giving the current one). */
  PasswordChange: 'password_change',
  /** A signer's signature image was replaced (`before`/`after`: the stored images' keys). */
  SignatureUpload: 'signature_upload',
  /** `main backup` copied the lab's data (entity backup; `after`: its folder, last migration, files). Written to the live database after the copy. */
  Backup: 'backup',
  /** `main restore` put a backup in place (entity backup; `after`: its folder and when it was taken). The first entry of a restored trail. */
  Restore: 'restore',
} as const;
export type AuditAction = ValueOf<typeof AuditAction>;

/** What kind of record an audit entry is about (`AuditLog.entity`). */
export const AuditEntity = {
  Protocol: 'protocol',
  WorkOrder: 'work_order',
  Report: 'report',
  BulkRun: 'bulk_run',
  User: 'user',
  Clinic: 'clinic',
  Job: 'job',
  Queue: 'queue',
  Mail: 'mail',
  /** A backup of the lab's data (its id is in its backup.json). */
  Backup: 'backup',
} as const;
export type AuditEntity = ValueOf<typeof AuditEntity>;

/** The lab's records: staff read their history; every other kind (people, clinics, operations) is for admins. */
export const LAB_RECORD_ENTITIES: readonly AuditEntity[] = [AuditEntity.Protocol, AuditEntity.WorkOrder, AuditEntity.Report];

export const values = <T extends Record<string, string>>(o: T) =>
  Object.values(o) as [ValueOf<T>, ...ValueOf<T>[]];
