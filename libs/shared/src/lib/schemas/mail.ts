import { z } from 'zod';
import { MailKind, MailStatus, values } from '../enums';

/** One outbox mail as staff see it on a report. */
export const MailView = z
  .object({
    id: z.string(),
    /** The report version it carries (or whose annulment it tells). */
    version: z.number().int(),
    kind: z.enum(values(MailKind)),
    recipient: z.string(),
    status: z.enum(values(MailStatus)),
    /** SMTP attempts so far. */
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    sentAt: z.string().nullable(),
    /** When a pending mail is tried (again); null once sent or failed. */
    nextAttemptAt: z.string().nullable(),
    createdAt: z.string(),
    /** The SMTP server's answer when it accepted the message ("250 2.0.0 Ok: queued as …"); null until sent. */
    serverResponse: z.string().nullable(),
    /** The message's Message-ID header (the same on every attempt, so a duplicate is recognisable). */
    messageId: z.string(),
  })
  .meta({ id: 'MailView' });
export type MailView = z.infer<typeof MailView>;
