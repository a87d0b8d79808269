import { JobKind, Role, rooms, ServerToClientEvents } from '@vetlab/shared';

type EventName = keyof ServerToClientEvents;
interface JobFacts {
  kind: JobKind;
  createdById: string | null;
}
interface SubjectFacts {
  clinicId: string;
  /** The person who asked for the job, if anyone did. */
  requestedBy: string | null;
}

/** What each event's audience is decided from. */
export interface AudienceFacts {
  'job:progress': JobFacts;
  'job:completed': JobFacts;
  'job:failed': JobFacts;
  'report:ready': SubjectFacts;
  'work-order-pdf:ready': SubjectFacts;
  'bulk:progress': object;
  'bulk:completed': object;
  'protocol:updated': { clinicId: string };
  'session:ended': { userId: string };
  'server:restarting': object;
  'ops:overview': object;
  'ops:pauses': object;
  'notice:new': { userId: string };
}

const lab = [rooms.role(Role.Staff), rooms.role(Role.Admin)];
const person = (id: string | null) => (id ? [rooms.user(id)] : []);
// Work-order renders are many and quick: only the person waiting hears of them (everyone who may
// see the work order gets its work-order-pdf:ready instead).
const job = ({ kind, createdById }: JobFacts) => [...(kind === JobKind.WorkOrderPdf ? [] : lab), ...person(createdById)];

/**
 * Who hears each event, in one place. A vet hears only of their own clinic's subjects and their own
 * jobs; bulk runs are the admins' alone.
 */
const EVENT_AUDIENCE: { [E in EventName]: (facts: AudienceFacts[E]) => string[] } = {
  'job:progress': job,
  'job:completed': job,
  'job:failed': job,
  'report:ready': ({ clinicId, requestedBy }) => [rooms.role(Role.Staff), rooms.clinic(clinicId), ...person(requestedBy)],
  'work-order-pdf:ready': ({ clinicId, requestedBy }) => [rooms.clinic(clinicId), ...lab, ...person(requestedBy)],
  'bulk:progress': () => [rooms.role(Role.Admin)],
  'bulk:completed': () => [rooms.role(Role.Admin)],
  'protocol:updated': ({ clinicId }) => [...lab, rooms.clinic(clinicId)],
  'session:ended': ({ userId }) => [rooms.user(userId)],
  // Every socket of the process that stops, which sends it itself (common/graceful-shutdown.ts).
  'server:restarting': () => [],
  // To the sockets of this process that asked (ops:watch), which OpsTicker sends itself.
  'ops:overview': () => [],
  'ops:pauses': () => [rooms.role(Role.Admin)],
  // A notice is one person's: it was written for them (NoticesService), to their room alone.
  'notice:new': ({ userId }) => [rooms.user(userId)],
};

/** The rooms an event goes to (RealtimeService.emit's first argument). */
export function audience<E extends EventName>(event: E, facts: AudienceFacts[E]): string[] {
  return EVENT_AUDIENCE[event](facts);
}
