import { JobKind, JobState, ProtocolStatus, Role } from './enums';
import type { JobView } from './job-map';
import { JobSubject } from './schemas/jobs';
import type { NoticeView } from './schemas/notices';
import type { OpsOverview, QueuePause } from './schemas/ops';

/** Generic job event: the same shape for every kind of job. */
export interface JobEvent {
  jobId: string;
  kind: JobKind;
  subject: JobSubject;
  state: JobState;
  /** 0–100 */
  progress: number;
  stage: string | null;
  attempt: number;
  failedReason?: string | null;
  /** As JobView's: what a job that still runs waits for (the disk full, the file storage away). */
  waitingFor?: JobView['waitingFor'];
}

export interface BulkProgressEvent {
  bulkId: string;
  done: number;
  total: number;
  succeeded: number;
  skipped: number;
  failed: number;
  etaSeconds: number | null;
}

export interface ServerToClientEvents {
  'job:progress': (e: JobEvent) => void;
  'job:completed': (e: JobEvent) => void;
  'job:failed': (e: JobEvent) => void;
  'report:ready': (e: { reportId: string; version: number; protocolId: string }) => void;
  'work-order-pdf:ready': (e: { workOrderId: string; version: number }) => void;
  'bulk:progress': (e: BulkProgressEvent) => void;
  'bulk:completed': (e: BulkProgressEvent & { cancelled: number }) => void;
  'protocol:updated': (e: { protocolId: string; status: ProtocolStatus; version: number }) => void;
  /** Sent just before the server disconnects a session (logout, deactivation). */
  'session:ended': (e: { reason: 'deactivated' | 'logout' }) => void;
  /** This API process is stopping (a deploy): the socket closes and reconnects, to this or another process. */
  'server:restarting': (e: { reason: 'shutdown' }) => void;
  /** The operations console's overview, to sockets that asked (`ops:watch`), at most once a second per API process. */
  'ops:overview': (e: OpsOverview) => void;
  /** Every queue paused now (empty: none), to admins, whenever a pause starts or ends. */
  'ops:pauses': (e: { pauses: QueuePause[] }) => void;
  /** A persistent notice was written for this user (to their own room only, after it was committed). */
  'notice:new': (e: NoticeView) => void;
}

export interface ClientToServerEvents {
  /** Round-trip check; answers with the rooms the socket is in. */
  whoami: (ack: (rooms: string[]) => void) => void;
  /** An admin's console is open: send `ops:overview` to this socket (admins only; others are ignored). */
  'ops:watch': () => void;
  /** The console closed. */
  'ops:unwatch': () => void;
}

export const rooms = {
  user: (id: string) => `user:${id}`,
  role: (role: Role) => `role:${role}`,
  clinic: (id: string) => `clinic:${id}`,
  /** Admin sockets with the operations console open (joined by `ops:watch`). */
  ops: 'ops',
};
