import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { ReportVersionStatus } from '@vetlab/shared';

/** Versions a code verifies: those the lab released (a draft, or a finalize that failed, has none). */
export const VERIFIABLE_STATUSES = [ReportVersionStatus.Finalized, ReportVersionStatus.Superseded, ReportVersionStatus.Invalidated] as const;

/** What the verification page reads of a version, found by its code. */
export interface VerifiedVersion {
  number: number;
  status: ReportVersionStatus;
  finalizedAt: Date;
  /** When the version was annulled (set with the status `invalidated`). */
  invalidatedAt: Date | null;
  protocolCode: string;
  clinicName: string;
  signerName: string | null;
  /** The newest released version of the same report after this one. */
  newerNumber: number | null;
}

const LOOKUP = `
select v.number, v.status, v.finalized_at, v.invalidated_at, p.code as protocol_code, c.name as clinic_name, u.name as signer_name,
       (select max(n.number) from report_versions n
         where n.report_id = v.report_id and n.number > v.number and n.status in (?, ?, ?)) as newer_number
  from report_versions v
  join reports r on r.id = v.report_id
  join protocols p on p.id = r.protocol_id
  join clinics c on c.id = p.clinic_id
  left join users u on u.id = v.signer_id
 where v.verification_code = ? and v.status in (?, ?, ?)`;

/**
 * The one statement of the verification page: a lookup by the unique index on verification_code,
 * the same for a known code and an unknown one (both walk the index once; only the known one finds
 * a row to join).
 */
@Injectable()
export class VerificationRepository {
  async byCode(em: EntityManager, code: string): Promise<VerifiedVersion | null> {
    const [row] = await em.getConnection().execute(LOOKUP, [...VERIFIABLE_STATUSES, code, ...VERIFIABLE_STATUSES], 'all', em.getTransactionContext());
    if (!row || row.finalized_at == null) return null;
    return {
      number: Number(row.number),
      status: row.status,
      finalizedAt: asDate(row.finalized_at),
      invalidatedAt: row.invalidated_at == null ? null : asDate(row.invalidated_at),
      protocolCode: row.protocol_code,
      clinicName: row.clinic_name,
      signerName: row.signer_name ?? null,
      newerNumber: row.newer_number == null ? null : Number(row.newer_number),
    };
  }
}

/** A date column as the driver returns it in raw SQL: a Date (pg), epoch milliseconds or an ISO text (SQLite). */
function asDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))) return new Date(Number(value));
  return new Date(String(value));
}
