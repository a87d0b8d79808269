import { EntityManager, FilterQuery } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { AuditAction, AuditEntity, ClinicView, CreateClinicRequest, FieldErrorCode, ReportLanguage, Role, UpdateClinicRequest } from '@vetlab/shared';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../auth/auth-user';
import { invalid, notFound } from '../common/domain-error';
import { writeTransaction } from '../database/database';
import { canSeeClinic } from '../protocols/protocol-access';
import { Clinic } from './clinic.entity';
import { ClinicsRepository } from './clinics.repository';

export const toClinicView = (c: Clinic): ClinicView => ({
  id: c.id,
  name: c.name,
  resultEmails: c.resultEmails,
  reportLanguage: c.reportLanguage,
  address: c.address,
  phone: c.phone,
});

const EDITABLE = ['name', 'address', 'phone', 'resultEmails', 'reportLanguage'] as const;
type Editable = (typeof EDITABLE)[number];

const nameTaken = () => invalid('body.name', 'another clinic has this name', FieldErrorCode.Taken);

@Injectable()
export class ClinicsService {
  constructor(
    private readonly em: EntityManager,
    private readonly clinics: ClinicsRepository,
    private readonly audit: AuditService,
  ) {}

  /** The lab sees every clinic; a vet only their own (an empty list if they have none). */
  async list(user: AuthUser): Promise<ClinicView[]> {
    if (user.role === Role.Vet && !user.clinicId) return [];
    const where: FilterQuery<Clinic> = user.role === Role.Vet ? { id: user.clinicId } : {};
    return (await this.clinics.list(this.em, where)).map(toClinicView);
  }

  /** Another clinic is "not found" for a vet, exactly like a missing one. */
  async view(user: AuthUser, id: string): Promise<ClinicView> {
    const clinic = canSeeClinic(user, id) ? await this.clinics.byId(this.em, id) : null;
    if (!clinic) throw notFound('clinic');
    return toClinicView(clinic);
  }

  async create(actor: AuthUser, dto: CreateClinicRequest): Promise<ClinicView> {
    const clinic = await writeTransaction(this.em, async (em) => {
      if (await this.clinics.nameTaken(em, dto.name)) throw nameTaken();
      const clinic = this.clinics.add(em, {
        name: dto.name,
        address: blankToNull(dto.address),
        phone: blankToNull(dto.phone),
        resultEmails: dto.resultEmails,
        reportLanguage: dto.reportLanguage ?? ReportLanguage.Es,
      });
      this.audit.record(em, { actorId: actor.id, entity: AuditEntity.Clinic, entityId: clinic.id, action: AuditAction.ClinicCreate, after: toClinicView(clinic) });
      await em.flush();
      return clinic;
    });
    return toClinicView(clinic);
  }

  /** Only what changed is written and audited (before → after); nothing changed, nothing recorded. */
  async update(actor: AuthUser, id: string, dto: UpdateClinicRequest): Promise<ClinicView> {
    const clinic = await writeTransaction(this.em, async (em) => {
      const clinic = await this.clinics.byId(em, id);
      if (!clinic) throw notFound('clinic');
      const wanted: Partial<Pick<Clinic, Editable>> = {
        ...(dto.name !== undefined && { name: dto.name }),
        ...(dto.address !== undefined && { address: blankToNull(dto.address) }),
        ...(dto.phone !== undefined && { phone: blankToNull(dto.phone) }),
        ...(dto.resultEmails !== undefined && { resultEmails: dto.resultEmails }),
        ...(dto.reportLanguage !== undefined && { reportLanguage: dto.reportLanguage }),
      };
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      for (const key of EDITABLE) {
        if (!(key in wanted) || JSON.stringify(wanted[key]) === JSON.stringify(clinic[key])) continue;
        before[key] = clinic[key];
        after[key] = wanted[key];
      }
      if (!Object.keys(after).length) return clinic;
      if (after.name !== undefined && (await this.clinics.nameTaken(em, after.name as string, clinic.id))) throw nameTaken();
      em.assign(clinic, after);
      this.audit.record(em, { actorId: actor.id, entity: AuditEntity.Clinic, entityId: clinic.id, action: AuditAction.ClinicUpdate, before, after });
      await em.flush();
      // Work-order PDFs print the clinic's language: never serve one in the old language again.
      if (after.reportLanguage !== undefined) await this.clinics.newWorkOrderVersions(em, clinic.id);
      return clinic;
    });
    return toClinicView(clinic);
  }
}

/** An empty address or phone is no address or phone. */
function blankToNull(s: string | null | undefined): string | null {
  return s ? s : null;
}
