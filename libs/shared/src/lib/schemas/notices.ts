import { z } from 'zod';
import { pageOf, PageQuery } from './common';

/** What a vet's in-app notice is about: a report of their clinic, or a protocol of their clinic. */
export const NoticeKind = {
  ReportFinalized: 'report_finalized',
  /** A corrected version was finalized: it supersedes the one before. */
  ReportCorrected: 'report_corrected',
  ReportAnnulled: 'report_annulled',
  ProtocolReceived: 'protocol_received',
  ProtocolRejected: 'protocol_rejected',
} as const;
export type NoticeKind = (typeof NoticeKind)[keyof typeof NoticeKind];
export const NOTICE_KINDS = Object.values(NoticeKind) as [NoticeKind, ...NoticeKind[]];

/** One persistent notice of one user (vets only: they are the clinic). */
export const NoticeView = z
  .object({
    id: z.string(),
    kind: z.enum(NOTICE_KINDS),
    createdAt: z.string(),
    /** Null while unread. */
    readAt: z.string().nullable(),
    protocolId: z.string(),
    protocolCode: z.string(),
    /** The report, for the report kinds. */
    reportId: z.string().nullable(),
    /** The version finalized, corrected (the new one) or annulled. */
    versionNumber: z.number().int().nullable(),
    /** A rejection's, correction's or annulment's reason. */
    reason: z.string().nullable(),
  })
  .meta({ id: 'NoticeView' });
export type NoticeView = z.infer<typeof NoticeView>;

export const NoticeListQuery = PageQuery.extend({
  unread: z.enum(['true', 'false']).optional().transform((v) => v === 'true').describe('true: only unread notices'),
});
export type NoticeListQuery = z.infer<typeof NoticeListQuery>;

/** A page of notices, newest first, with the user's unread count beside it. */
export const NoticePage = pageOf(NoticeView).extend({ unread: z.number().int() }).meta({ id: 'NoticePage' });
export type NoticePage = z.infer<typeof NoticePage>;

export const NoticeUnreadCount = z.object({ unread: z.number().int() }).meta({ id: 'NoticeUnreadCount' });
export type NoticeUnreadCount = z.infer<typeof NoticeUnreadCount>;

/** Answer of mark-all-read: how many became read, and the unread count now (0). */
export const NoticesMarkedRead = z.object({ marked: z.number().int(), unread: z.number().int() }).meta({ id: 'NoticesMarkedRead' });
export type NoticesMarkedRead = z.infer<typeof NoticesMarkedRead>;
