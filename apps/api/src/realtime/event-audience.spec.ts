import { JobKind, Role } from '@vetlab/shared';
import { AuthUser } from '../auth/auth-user';
import { audience } from './event-audience';
import { roomsFor } from './realtime.gateway';

const vetA: AuthUser = { id: 'va', email: 'a@x.test', name: 'A', role: Role.Vet, signer: false, clinicId: 'ca' };
const vetA2: AuthUser = { ...vetA, id: 'va2' };
const vetB: AuthUser = { ...vetA, id: 'vb', clinicId: 'cb' };
const staff: AuthUser = { ...vetA, id: 'st', role: Role.Staff, clinicId: null };
const admin: AuthUser = { ...staff, id: 'ad', role: Role.Admin };
const everyone = { vetA, vetA2, vetB, staff, admin };

/** Who of everyone is in at least one of the rooms (the sockets the event reaches). */
const hearers = (rooms: string[]) =>
  Object.entries(everyone)
    .filter(([, u]) => roomsFor(u).some((r) => rooms.includes(r)))
    .map(([name]) => name);

describe('event audience', () => {
  it('report:ready: the lab staff, the clinic’s vets and the signer; never another clinic', () => {
    expect(hearers(audience('report:ready', { clinicId: 'ca', requestedBy: 'st' }))).toEqual(['vetA', 'vetA2', 'staff']);
    expect(hearers(audience('report:ready', { clinicId: 'cb', requestedBy: null }))).toEqual(['vetB', 'staff']);
  });

  it('work-order-pdf:ready: the clinic’s vets, staff and admins', () => {
    expect(hearers(audience('work-order-pdf:ready', { clinicId: 'ca', requestedBy: 'va' }))).toEqual(['vetA', 'vetA2', 'staff', 'admin']);
    expect(hearers(audience('work-order-pdf:ready', { clinicId: 'cb', requestedBy: null }))).toEqual(['vetB', 'staff', 'admin']);
  });

  it('job events go to the lab and the creator; a work-order render’s only to the person waiting, a pre-render’s to nobody', () => {
    for (const event of ['job:progress', 'job:completed', 'job:failed'] as const) {
      expect(audience(event, { kind: JobKind.FinalizeReport, createdById: 'st' })).toEqual(['role:staff', 'role:admin', 'user:st']);
      expect(hearers(audience(event, { kind: JobKind.ReportPdf, createdById: 'va' }))).toEqual(['vetA', 'staff', 'admin']);
      expect(hearers(audience(event, { kind: JobKind.WorkOrderPdf, createdById: 'va' }))).toEqual(['vetA']);
      expect(audience(event, { kind: JobKind.WorkOrderPdf, createdById: null })).toEqual([]);
    }
  });

  it('bulk events reach admins only', () => {
    expect(hearers(audience('bulk:progress', {}))).toEqual(['admin']);
    expect(hearers(audience('bulk:completed', {}))).toEqual(['admin']);
  });

  it('protocol:updated: the lab and the protocol’s clinic only', () => {
    expect(hearers(audience('protocol:updated', { clinicId: 'cb' }))).toEqual(['vetB', 'staff', 'admin']);
  });

  it('session:ended: that user alone', () => {
    expect(hearers(audience('session:ended', { userId: 'va2' }))).toEqual(['vetA2']);
  });
});
