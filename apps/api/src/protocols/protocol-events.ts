import { ProtocolStatus, Role, rooms } from '@vetlab/shared';
import { RealtimeService } from '../realtime/realtime.service';

export interface ProtocolChange {
  protocolId: string;
  clinicId: string;
  status: ProtocolStatus;
  version: number;
}

/** Rooms that may hear about a protocol: the lab, and only the clinic it belongs to. */
export const protocolRooms = (clinicId: string) => [rooms.role(Role.Staff), rooms.role(Role.Admin), rooms.clinic(clinicId)];

/** Call after commit only: a browser that refetches on the event must find the change. */
export function emitProtocolUpdated(realtime: RealtimeService, c: ProtocolChange): void {
  realtime.emit(protocolRooms(c.clinicId), 'protocol:updated', { protocolId: c.protocolId, status: c.status, version: c.version });
}
