import { z } from 'zod';
import { JobKind, JobState, MailKind, MailStatus, values } from '../enums';
import { QueueName } from '../job-map';
import { IdSchema, IsoDate, PageQuery, pageOf } from './common';
import { JobSubject } from './jobs';
import { DiskSpace } from './health';

/**
 * The operations console (`/api/ops/...`, admin only; `/ops` in the SPA). Counts come from Bull and
 * the job records at the time of asking, never from a copy that can drift.
 */

export const QueueNameSchema = z.enum(values(QueueName));

/** Bull's own counts of one queue. */
export const QueueCounts = z
  .object({
    waiting: z.number().int(),
    active: z.number().int(),
    delayed: z.number().int(),
    failed: z.number().int(),
    completed: z.number().int(),
    /** Waiting jobs held back by a pause (Bull keeps them in a list of their own). */
    paused: z.number().int(),
  })
  .meta({ id: 'QueueCounts' });
export type QueueCounts = z.infer<typeof QueueCounts>;

/** One minute of a queue's finished work (from the job records; the outbox for mail). */
export const QueueMinute = z
  .object({
    /** Start of the minute (ISO). */
    at: z.string(),
    /** Jobs that finished in that minute (completed or failed). */
    done: z.number().int(),
    failed: z.number().int(),
    /** Time from queued to done, of the jobs that finished in that minute; null when none did. */
    p50Ms: z.number().nullable(),
    p95Ms: z.number().nullable(),
  })
  .meta({ id: 'QueueMinute' });
export type QueueMinute = z.infer<typeof QueueMinute>;

/** A queue paused by an admin: why, by whom, until when (a forgotten pause ends by itself). */
export const QueuePause = z
  .object({
    queue: QueueNameSchema,
    reason: z.string(),
    pausedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
    pausedAt: z.string(),
    expiresAt: z.string(),
  })
  .meta({ id: 'QueuePause' });
export type QueuePause = z.infer<typeof QueuePause>;

/** A worker process attached to the queues (it reports itself every few seconds). */
export const OpsWorker = z
  .object({
    id: z.string(),
    host: z.string(),
    pid: z.number().int(),
    queues: z.array(QueueNameSchema),
    /** Render threads of its PDF pool (0: it renders nothing). */
    renderThreads: z.number().int(),
    /** Its data disk at its last report (null: not readable, or a worker of an older version). */
    disk: DiskSpace.nullable(),
    startedAt: z.string(),
    lastSeenAt: z.string(),
  })
  .meta({ id: 'OpsWorker' });
export type OpsWorker = z.infer<typeof OpsWorker>;

export const QueueCard = z
  .object({
    queue: QueueNameSchema,
    kinds: z.array(z.enum(values(JobKind))),
    counts: QueueCounts,
    /** Null when the queue runs. */
    pause: QueuePause.nullable(),
    /** Worker processes that serve this queue now. */
    workers: z.number().int(),
    /** Render threads of those workers (report and work-order queues). */
    renderThreads: z.number().int(),
    /** The last 60 minutes, oldest first, one entry per minute (empty minutes included). */
    lastHour: z.array(QueueMinute),
    /** Jobs the console shows as stuck (see OpsStuckJob). */
    stuck: z.number().int(),
  })
  .meta({ id: 'QueueCard' });
export type QueueCard = z.infer<typeof QueueCard>;

/** `GET /api/ops/overview`, and the `ops:overview` event (throttled, to admins on the console). */
export const OpsOverview = z
  .object({
    at: z.string(),
    /** Whether Redis answered: when false, counts are zeros and say nothing. */
    redis: z.boolean(),
    queues: z.array(QueueCard),
    workers: z.array(OpsWorker),
  })
  .meta({ id: 'OpsOverview' });
export type OpsOverview = z.infer<typeof OpsOverview>;

/** Body of `POST /api/ops/queues/:queue/pause`. */
export const PauseQueueRequest = z
  .object({
    reason: z.string().trim().min(3, { error: 'must be at least 3 characters' }).max(500, { error: 'must be at most 500 characters' }),
    /** Minutes until it resumes by itself: 1 to 1440, default 30. */
    minutes: z.number().int().min(1, { error: 'must be at least 1' }).max(1440, { error: 'must be at most 1440 (24 h)' }).default(30),
  })
  .meta({ id: 'PauseQueueRequest' });
export type PauseQueueRequest = z.input<typeof PauseQueueRequest>;

export const QueueParams = z.object({ queue: QueueNameSchema });
export type QueueParams = z.infer<typeof QueueParams>;

/** Where a state filter of the jobs list points: the record's state. */
export const OpsJobQuery = PageQuery.extend({
  queue: QueueNameSchema.optional(),
  state: z.enum(values(JobState)).optional(),
  kind: z.enum(values(JobKind)).optional(),
  /** Subject id (a report, work order or bulk run), or text found in its label (a protocol code). */
  subject: z.string().trim().max(100).optional(),
  /** Who started it (user id). */
  createdBy: IdSchema.optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
});
export type OpsJobQuery = z.input<typeof OpsJobQuery>;

/** One stage a run went through, with its start and length. */
export const OpsJobStage = z.object({ stage: z.string(), at: z.string(), ms: z.number().nullable() }).meta({ id: 'OpsJobStage' });
export type OpsJobStage = z.infer<typeof OpsJobStage>;

/** A job as the console lists it: its subject in the lab's words, with a link the SPA can follow. */
export const OpsJobRow = z
  .object({
    id: z.string(),
    kind: z.enum(values(JobKind)),
    queue: QueueNameSchema,
    state: z.enum(values(JobState)),
    /** Bull's state when asked (null: Redis holds nothing under this id). */
    bullState: z.string().nullable(),
    subject: JobSubject,
    /** "Informe de P-2026-000123 v2", "Orden de trabajo P-…", "Lote #17 de Ana", "Correo a Clínica X" */
    label: z.string(),
    /** SPA path of the subject ("/protocols/<id>", "/bulk/<id>"), null when there is none. */
    link: z.string().nullable(),
    createdBy: z.object({ id: z.string(), name: z.string() }).nullable(),
    attempts: z.number().int(),
    progress: z.number(),
    stage: z.string().nullable(),
    stages: z.array(OpsJobStage),
    failedReason: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    /** What an admin may do with it now. */
    actions: z.array(z.enum(['retry', 'discard', 'promote', 'hand_back'])),
  })
  .meta({ id: 'OpsJobRow' });
export type OpsJobRow = z.infer<typeof OpsJobRow>;
export const OpsJobPage = pageOf(OpsJobRow).meta({ id: 'OpsJobPage' });
export type OpsJobPage = z.infer<typeof OpsJobPage>;

/** Why a job shows as stuck. */
export const StuckReason = { TooLong: 'too_long', MissingInRedis: 'missing_in_redis' } as const;
export type StuckReason = (typeof StuckReason)[keyof typeof StuckReason];

/** `GET /api/ops/stuck`: active far longer than its kind's p99, or expected by the database and absent from Redis. */
export const OpsStuckJob = z
  .object({
    job: OpsJobRow,
    reason: z.enum(values(StuckReason)),
    /** How long it has been running or waiting. */
    forMs: z.number(),
    /** The limit it passed (factor × the kind's p99), for too_long. */
    limitMs: z.number().nullable(),
  })
  .meta({ id: 'OpsStuckJob' });
export type OpsStuckJob = z.infer<typeof OpsStuckJob>;

/** Body of `POST /api/ops/queues/:queue/retry-failed`: how many failed jobs were queued again. */
export const OpsBatchResult = z.object({ count: z.number().int() }).meta({ id: 'OpsBatchResult' });
export type OpsBatchResult = z.infer<typeof OpsBatchResult>;

/** Filters of the mail log. */
export const OpsMailQuery = PageQuery.extend({
  clinicId: IdSchema.optional(),
  status: z.enum(values(MailStatus)).optional(),
  reportId: IdSchema.optional(),
});
export type OpsMailQuery = z.input<typeof OpsMailQuery>;

/** One outbox message in the mail log. */
export const OpsMailRow = z
  .object({
    id: z.string(),
    kind: z.enum(values(MailKind)),
    recipient: z.string(),
    clinic: z.object({ id: z.string(), name: z.string() }).nullable(),
    /** "Informe de P-2026-000123 v2" or "Lote #17" */
    label: z.string(),
    link: z.string().nullable(),
    reportId: z.string().nullable(),
    version: z.number().int(),
    status: z.enum(values(MailStatus)),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    /** The SMTP server's answer to the accepted message ("250 2.0.0 Ok: queued as …"). */
    serverResponse: z.string().nullable(),
    messageId: z.string(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    resendable: z.boolean(),
  })
  .meta({ id: 'OpsMailRow' });
export type OpsMailRow = z.infer<typeof OpsMailRow>;
export const OpsMailPage = pageOf(OpsMailRow).meta({ id: 'OpsMailPage' });
export type OpsMailPage = z.infer<typeof OpsMailPage>;

/** Body of `POST /api/ops/mails/resend-failed`: every failed mail of one clinic. */
export const ResendFailedMailsRequest = z.object({ clinicId: IdSchema }).meta({ id: 'ResendFailedMailsRequest' });
export type ResendFailedMailsRequest = z.infer<typeof ResendFailedMailsRequest>;
