import { FINISHED_JOB_STATES } from '@vetlab/shared';
import type { JobAccepted, JobEvent, JobView, ServerToClientEvents } from '@vetlab/shared';
import type { ApiClient } from '../api/api-client';
import type { LiveSocket } from '../realtime/live-socket';
import type { PdfPending } from './use-pdf-document';

/** The events that say a PDF's file is stored. */
export type PdfReadyEvent = 'report:ready' | 'work-order-pdf:ready';
type Payload<E extends PdfReadyEvent> = Parameters<ServerToClientEvents[E]>[0];

/**
 * While the server renders a PDF (202), fetch it again as soon as it is ready: on `ready` for that
 * document (`matches`), on the job's end, or — after a reconnect, or if the job ended before we
 * listened — when the jobs API says it is over. Returns the unsubscribe.
 */
export function followPdfJob<E extends PdfReadyEvent>(
  api: ApiClient,
  socket: LiveSocket | null,
  { accepted, retry }: PdfPending,
  ready: E,
  matches: (e: Payload<E>) => boolean,
): () => void {
  const jobId = (accepted as Partial<JobAccepted> | null)?.jobId;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    stop();
    retry();
  };
  const onReady = (e: Payload<E>) => {
    if (matches(e)) finish();
  };
  const onJob = (e: JobEvent) => {
    if (e.jobId === jobId) finish();
  };
  const check = () => {
    if (!jobId) return;
    api
      .get<JobView>(`/jobs/${encodeURIComponent(jobId)}`)
      .then((j) => FINISHED_JOB_STATES.includes(j.state) && finish())
      .catch(() => undefined);
  };
  // socket.io's typed `on` cannot narrow a generic event name: the payload type is Payload<E> by construction.
  const readyHandler = onReady as unknown as ServerToClientEvents[PdfReadyEvent];
  socket?.on(ready as PdfReadyEvent, readyHandler);
  socket?.on('job:completed', onJob);
  socket?.on('job:failed', onJob);
  socket?.on('connect', check);
  function stop() {
    socket?.off(ready as PdfReadyEvent, readyHandler);
    socket?.off('job:completed', onJob);
    socket?.off('job:failed', onJob);
    socket?.off('connect', check);
  }
  check();
  return () => {
    done = true;
    stop();
  };
}
