import { EntityManager } from '@mikro-orm/core';
import { writeTransaction } from '../database/database';
import { Injectable } from '@nestjs/common';
import { AuditAction, checkAction, ConflictCode, FieldErrorCode, NoticeKind, ProtocolAction } from '@vetlab/shared';
import { AuditService } from '../audit/audit.service';
import { ConflictError, invalid, notFound, stale } from '../common/domain-error';
import { ClinicNotice, NoticesService, WrittenNotice } from '../notices/notices.service';
import { RealtimeService } from '../realtime/realtime.service';
import { User } from '../users/user.entity';
import { emitProtocolUpdated, ProtocolChange } from './protocol-events';
import { Protocol } from './protocol.entity';

export interface TransitionOptions {
  /** Optimistic-lock version the caller saw; a different current version is refused as stale. */
  version?: number;
  /** Required for reject. */
  reason?: string;
  /** Set when a job runs the transition (audit trail). */
  jobId?: string;
}

/** A refusal by the status machine; `refusal` lets a bulk run count "already" as skipped. */
export class TransitionRefusedError extends ConflictError {
  constructor(
    readonly refusal: 'already' | 'not_allowed',
    message: string,
  ) {
    super(message, refusal === 'already' ? ConflictCode.ProtocolAlreadyInStatus : ConflictCode.ProtocolTransitionNotAllowed);
  }
}

/**
 * Manual protocol transitions (receive, start analysis, reject) for one protocol: the HTTP routes
 * and the bulk job share this. Errors: not_found, TransitionRefusedError (409), stale (409), and
 * MikroORM's OptimisticLockError when a concurrent write wins between our read and our update.
 */
@Injectable()
export class ProtocolTransitionsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
    private readonly realtime: RealtimeService,
    private readonly notices: NoticesService,
  ) {}

  /** In its own transaction (works with or without a request context); emits after commit. */
  async transition(actorId: string | null, protocolId: string, action: ProtocolAction, opts: TransitionOptions = {}): Promise<ProtocolChange> {
    const { p, notices } = await writeTransaction(this.em, async (em) => {
      const changed = await this.applyIn(em, actorId, protocolId, action, opts);
      return { p: changed, notices: await this.noticesIn(em, changed, action) };
    });
    // The version is the one after the flush: what a client must send with its next write.
    const change: ProtocolChange = { protocolId: p.id, clinicId: p.clinic.id, status: p.status, version: p.version };
    emitProtocolUpdated(this.realtime, change);
    this.notices.announce(notices);
    return change;
  }

  /** The clinic's vets hear of a protocol received or rejected (in the change's transaction); the caller announces them after commit. */
  noticesIn(em: EntityManager, p: Protocol, action: ProtocolAction): Promise<WrittenNotice[]> {
    const notice = protocolNotice(action, { id: p.id, code: p.code, clinicId: p.clinic.id, reason: p.rejectionReason });
    return notice ? this.notices.forClinic(em, notice) : Promise.resolve([]);
  }

  /** Inside the caller's transaction; the caller commits and emits. Returns the changed protocol. */
  async applyIn(em: EntityManager, actorId: string | null, protocolId: string, action: ProtocolAction, opts: TransitionOptions = {}): Promise<Protocol> {
    const p = await em.findOne(Protocol, { id: protocolId });
    if (!p) throw notFound('protocol');
    const check = checkAction(p.status, action);
    if (!check.ok) throw new TransitionRefusedError(check.code, check.reason);
    if (opts.version != null && opts.version !== p.version) throw stale('protocol');
    if (action === ProtocolAction.Reject && !opts.reason?.trim()) throw invalid('body.reason', 'a rejection needs a reason', FieldErrorCode.Required);

    const before = { status: p.status };
    p.status = check.to;
    if (action === ProtocolAction.Receive) {
      p.receivedBy = actorId ? em.getReference(User, actorId) : null;
      p.receivedAt = new Date();
    }
    if (action === ProtocolAction.Reject) p.rejectionReason = opts.reason!.trim();
    const after: Record<string, unknown> = { status: p.status };
    if (p.rejectionReason && action === ProtocolAction.Reject) after.rejectionReason = p.rejectionReason;
    this.audit.record(em, { actorId, entity: 'protocol', entityId: p.id, action: AuditAction.StatusChange, before, after, jobId: opts.jobId });
    await em.flush();
    return p;
  }
}

/** The notice a protocol action gives the clinic's vets, if any (one per protocol and kind: a protocol is received or rejected once). */
export function protocolNotice(action: ProtocolAction, p: { id: string; code: string; clinicId: string; reason: string | null }): ClinicNotice | null {
  const kind = action === ProtocolAction.Receive ? NoticeKind.ProtocolReceived : action === ProtocolAction.Reject ? NoticeKind.ProtocolRejected : null;
  if (!kind) return null;
  return {
    clinicId: p.clinicId,
    kind,
    protocolId: p.id,
    protocolCode: p.code,
    reason: kind === NoticeKind.ProtocolRejected ? p.reason : null,
    dedupeKey: `${kind}:${p.id}`,
  };
}
