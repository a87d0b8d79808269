import { availableActions, ProtocolDetail, ProtocolSummary, Ref, Role } from '@vetlab/shared';
import { AuthUser } from '../auth/auth-user';
import { Protocol } from './protocol.entity';

export const toRef = (x: { id: string; name: string } | null | undefined): Ref | null => (x ? { id: x.id, name: x.name } : null);

/** Needs clinic and vet loaded (names). */
export function toProtocolSummary(p: Protocol): ProtocolSummary {
  return {
    id: p.id,
    code: p.code,
    status: p.status,
    priority: p.priority,
    clinic: { id: p.clinic.id, name: p.clinic.name },
    vet: toRef(p.vet),
    animalName: p.animalName,
    species: p.species,
    ownerName: p.ownerName,
    createdAt: p.createdAt.toISOString(),
    receivedAt: p.receivedAt?.toISOString() ?? null,
    version: p.version,
  };
}

/** Needs clinic, vet, receivedBy and panels loaded. Vets are offered no actions. */
export function toProtocolDetail(p: Protocol, user: Pick<AuthUser, 'role'>, ids: { workOrderId: string; reportId: string }): ProtocolDetail {
  return {
    ...toProtocolSummary(p),
    breed: p.breed,
    sex: p.sex,
    ageMonths: p.ageMonths,
    ownerPhone: p.ownerPhone,
    ownerEmail: p.ownerEmail,
    samples: p.samples,
    panels: p.panels.getItems().map((x) => ({ id: x.id, code: x.code, name: x.name })),
    notes: p.notes,
    receivedBy: toRef(p.receivedBy),
    rejectionReason: p.rejectionReason,
    version: p.version,
    workOrderId: ids.workOrderId,
    reportId: ids.reportId,
    availableActions: user.role === Role.Vet ? [] : availableActions(p.status),
  };
}
