import { z } from 'zod';
import { MailStatus, values } from '../enums';

/** One outbox mail as staff see it on a report. */
export const MailView = z
  .object({
    id: z.string(),
    /** The report version it carries. */
    version: z.number().int(),
    recipient: z.string(),
    status: z.enum(values(MailStatus)),
    /** SMTP attempts so far. */
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    sentAt: z.string().nullable(),
    /** When a pending mail is tried (again); null once sent or failed. */
    nextAttemptAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'MailView' });
export type MailView = z.infer<typeof MailView>;
