import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { ReportVersionStatus, VerificationState, VerificationView } from '@vetlab/shared';
import { notFound } from '../common/domain-error';
import { normalizeVerificationCode } from '../pdf/verification-code';
import { VerificationRepository, VerifiedVersion } from './verification.repository';
import { VerifyRateLimiter } from './verify-rate-limiter';

/**
 * Never matches a stored code (those are upper-case Crockford base32 in dashed groups): what a
 * malformed code is looked up as, so that it costs the same one query as a well-formed one.
 */
const NO_CODE = '-';

/**
 * The public verification page: whether a printed code belongs to a version vetlab issued, and
 * its state. Unknown, malformed and unreleased codes are all the same 404, answered after the same
 * work as a known one (the limiter's round trip, then one indexed query).
 */
@Injectable()
export class VerificationService {
  constructor(
    private readonly em: EntityManager,
    private readonly versions: VerificationRepository,
    private readonly limiter: VerifyRateLimiter,
  ) {}

  async verify(input: string, ip: string): Promise<VerificationView> {
    await this.limiter.admit(ip);
    const code = normalizeVerificationCode(input);
    const found = await this.versions.byCode(this.em.fork(), code ?? NO_CODE);
    if (!found || !code) throw notFound('verification code');
    return view(code, found);
  }
}

function view(code: string, v: VerifiedVersion): VerificationView {
  const annulled = v.status === ReportVersionStatus.Invalidated;
  const superseded = v.status === ReportVersionStatus.Superseded;
  return {
    code,
    state: annulled ? VerificationState.Annulled : superseded ? VerificationState.Superseded : VerificationState.Valid,
    protocolCode: v.protocolCode,
    clinicName: v.clinicName,
    signerName: v.signerName,
    finalizedAt: v.finalizedAt.toISOString(),
    version: v.number,
    supersededBy: superseded ? v.newerNumber : null,
    annulledAt: annulled ? (v.invalidatedAt?.toISOString() ?? null) : null,
  };
}
