import { ProtocolStatus } from '@vetlab/shared';
import { audience } from '../realtime/event-audience';
import { RealtimeService } from '../realtime/realtime.service';

export interface ProtocolChange {
  protocolId: string;
  clinicId: string;
  status: ProtocolStatus;
  version: number;
}

/** Call after commit only: a browser that refetches on the event must find the change. */
export function emitProtocolUpdated(realtime: RealtimeService, c: ProtocolChange): void {
  realtime.emit(audience('protocol:updated', c), 'protocol:updated', { protocolId: c.protocolId, status: c.status, version: c.version });
}
