import { EntityManager } from '@mikro-orm/core';
import { JobSubject, Role } from '@vetlab/shared';
import { AuthUser } from '../auth/auth-user';
import { canSeeClinic } from '../protocols/protocol-access';
import { Report } from '../reports/report.entity';
import { WorkOrder } from '../work-orders/work-order.entity';

/**
 * Whoever may see a job's subject may read the job. Lab staff and admins see every subject; a vet
 * only reports and work orders of their own clinic (never bulk runs or e-mails).
 */
export async function canSeeJobSubject(em: EntityManager, user: AuthUser, subject: JobSubject): Promise<boolean> {
  if (user.role !== Role.Vet) return true;
  const clinicId = await subjectClinicId(em, subject);
  return clinicId != null && canSeeClinic(user, clinicId);
}

async function subjectClinicId(em: EntityManager, subject: JobSubject): Promise<string | null> {
  switch (subject.type) {
    case 'report': {
      const report = await em.findOne(Report, { id: subject.id }, { populate: ['protocol'] });
      return report?.protocol.clinic.id ?? null;
    }
    case 'work_order': {
      const order = await em.findOne(WorkOrder, { id: subject.id }, { populate: ['protocol'] });
      return order?.protocol.clinic.id ?? null;
    }
    default:
      return null;
  }
}
