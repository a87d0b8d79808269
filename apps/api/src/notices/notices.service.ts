import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { NoticeKind, NoticeListQuery, NoticePage, NoticesMarkedRead, NoticeView } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';
import { AuthUser } from '../auth/auth-user';
import { notFound } from '../common/domain-error';
import { writeTransaction } from '../database/database';
import { audience } from '../realtime/event-audience';
import { RealtimeService } from '../realtime/realtime.service';
import { Notice } from './notice.entity';
import { NoticesRepository } from './notices.repository';

/** What happened to one protocol (or its report) of one clinic: every active vet of it hears. */
export interface ClinicNotice {
  clinicId: string;
  kind: NoticeKind;
  protocolId: string;
  protocolCode: string;
  reportId?: string | null;
  versionNumber?: number | null;
  reason?: string | null;
  /**
   * Names the change, the same on every run of the job that makes it (e.g.
   * `report_finalized:<version id>`): a vet gets at most one notice per key.
   */
  dedupeKey: string;
}

/** A notice just written, and whose it is: what `announce` sends once the transaction committed. */
export interface WrittenNotice {
  userId: string;
  notice: NoticeView;
}

export function toNoticeView(n: Notice): NoticeView {
  return {
    id: n.id,
    kind: n.kind,
    createdAt: n.createdAt.toISOString(),
    readAt: n.readAt ? n.readAt.toISOString() : null,
    protocolId: n.protocolId,
    protocolCode: n.protocolCode,
    reportId: n.reportId,
    versionNumber: n.versionNumber,
    reason: n.reason,
  };
}

/**
 * The vets' persistent in-app notices: the one writer of `notices`, and its reader for the routes.
 *
 * Writing happens inside the transaction of the change a notice tells of (`forClinic`,
 * `forClinics`), so a notice exists exactly when the change committed; the caller sends the live
 * `notice:new` events after its commit with `announce`, from either role (through the Redis
 * emitter). A vet only ever gets notices about their own clinic; staff and admins get none.
 */
@Injectable()
export class NoticesService {
  constructor(
    private readonly em: EntityManager,
    private readonly realtime: RealtimeService,
    private readonly repo: NoticesRepository,
  ) {}

  /**
   * One notice per active vet of the clinic, in the caller's transaction (`em`); a vet who has the
   * same `dedupeKey` already gets nothing new. Returns the notices written: pass them to `announce`
   * after the commit.
   */
  forClinic(em: EntityManager, n: ClinicNotice): Promise<WrittenNotice[]> {
    return this.forClinics(em, [n]);
  }

  /** `forClinic` for many changes at once (a bulk chunk): one read of the vets, batched inserts. */
  async forClinics(em: EntityManager, changes: ClinicNotice[]): Promise<WrittenNotice[]> {
    if (!changes.length) return [];
    const vetsOf = await this.repo.activeVetsByClinic(em, [...new Set(changes.map((c) => c.clinicId))]);
    const createdAt = new Date();
    const rows = changes.flatMap((c) =>
      (vetsOf.get(c.clinicId.toLowerCase()) ?? []).map((userId) => ({
        id: randomUUID(),
        userId,
        kind: c.kind,
        protocolId: c.protocolId,
        protocolCode: c.protocolCode,
        reportId: c.reportId ?? null,
        versionNumber: c.versionNumber ?? null,
        reason: c.reason ?? null,
        dedupeKey: c.dedupeKey,
        createdAt,
      })),
    );
    return (await this.repo.insertNew(em, rows)).map((n) => ({ userId: n.userId, notice: toNoticeView({ ...n, readAt: null }) }));
  }

  /** `notice:new` to each notice's user (their own room only). Call after the commit. */
  announce(written: WrittenNotice[]): void {
    for (const { userId, notice } of written) this.realtime.emit(audience('notice:new', { userId }), 'notice:new', notice);
  }

  /** The user's notices, newest first, with their unread count. */
  async page(user: AuthUser, query: NoticeListQuery): Promise<NoticePage> {
    const em = this.em.fork();
    const where = { userId: user.id, ...(query.unread ? { readAt: null } : {}) };
    const [rows, total] = await em.findAndCount(Notice, where, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    const unread = query.unread ? total : await this.unreadIn(em, user.id);
    return { items: rows.map(toNoticeView), total, page: query.page, pageSize: query.pageSize, unread };
  }

  async unreadCount(user: AuthUser): Promise<{ unread: number }> {
    return { unread: await this.unreadIn(this.em.fork(), user.id) };
  }

  /** One of the user's own notices becomes read (again: a no-op); anyone else's is 404. */
  async markRead(user: AuthUser, id: string): Promise<NoticeView> {
    const notice = await writeTransaction(this.em, async (em) => {
      await em.nativeUpdate(Notice, { id, userId: user.id, readAt: null }, { readAt: new Date() });
      return em.findOne(Notice, { id, userId: user.id });
    });
    if (!notice) throw notFound('notice');
    return toNoticeView(notice);
  }

  /** Every unread notice of the user becomes read. */
  async markAllRead(user: AuthUser): Promise<NoticesMarkedRead> {
    const marked = await writeTransaction(this.em, (em) => em.nativeUpdate(Notice, { userId: user.id, readAt: null }, { readAt: new Date() }));
    return { marked, unread: 0 };
  }

  private unreadIn(em: EntityManager, userId: string): Promise<number> {
    return em.count(Notice, { userId, readAt: null });
  }
}
