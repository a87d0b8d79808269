import { EntityManager, FilterQuery } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { ClinicView, Role } from '@vetlab/shared';
import { AuthUser } from '../auth/auth-user';
import { Clinic } from './clinic.entity';

@Injectable()
export class ClinicsService {
  constructor(private readonly em: EntityManager) {}

  /** The lab sees every clinic; a vet only their own (an empty list if they have none). */
  async list(user: AuthUser): Promise<ClinicView[]> {
    if (user.role === Role.Vet && !user.clinicId) return [];
    const where: FilterQuery<Clinic> = user.role === Role.Vet ? { id: user.clinicId } : {};
    const clinics = await this.em.find(Clinic, where, { orderBy: { name: 'asc', id: 'asc' } });
    return clinics.map((c) => ({ id: c.id, name: c.name, resultEmails: c.resultEmails, reportLanguage: c.reportLanguage, address: c.address, phone: c.phone }));
  }
}
