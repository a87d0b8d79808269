import type { OpsJobRow, OpsMailRow, OpsOverview, QueueCard, QueueName, QueuePause } from '@vetlab/shared';
import type { ReactNode } from 'react';
import { LiveContext } from '../app/live';
import type { LiveSocket } from '../realtime/live-socket';

type Handler = (...args: unknown[]) => void;

/** A socket.io stand-in: the test plays the server (`serverEmit`) and reads what the page sent (`sent`). */
export function fakeSocket() {
  const handlers = new Map<string, Set<Handler>>();
  const sent: string[] = [];
  const socket = {
    connected: true,
    on: (e: string, h: Handler) => void (handlers.get(e) ?? handlers.set(e, new Set()).get(e))?.add(h),
    off: (e: string, h: Handler) => void handlers.get(e)?.delete(h),
    emit: (e: string) => void sent.push(e),
  };
  return {
    socket: socket as unknown as LiveSocket,
    sent,
    serverEmit: (event: string, payload: unknown) => handlers.get(event)?.forEach((h) => h(payload)),
    listeners: (event: string) => handlers.get(event)?.size ?? 0,
  };
}

export function WithSocket({ socket, children }: { socket: LiveSocket; children: ReactNode }) {
  return <LiveContext.Provider value={{ socket, status: 'connected' }}>{children}</LiveContext.Provider>;
}

const minute = (i: number) => ({ at: new Date(Date.UTC(2026, 11, 2, 15, i)).toISOString(), done: i % 3, failed: i % 7 === 0 ? 1 : 0, p50Ms: 800, p95Ms: 2400 });

export function card(queue: QueueName, over: Partial<QueueCard> = {}): QueueCard {
  return {
    queue,
    kinds: [],
    counts: { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0, paused: 0 },
    pause: null,
    workers: 1,
    renderThreads: queue === 'reports' || queue === 'work-order-pdfs' ? 2 : 0,
    lastHour: Array.from({ length: 60 }, (_, i) => minute(i)),
    stuck: 0,
    ...over,
  };
}

export function overview(over: Partial<OpsOverview> = {}, at = '2026-12-02T16:00:00.000Z'): OpsOverview {
  return {
    at,
    redis: true,
    queues: [card('reports'), card('work-order-pdfs'), card('bulk'), card('mail')],
    workers: [],
    ...over,
  };
}

export const pause = (queue: QueueName, over: Partial<QueuePause> = {}): QueuePause => ({
  queue,
  reason: 'printer maintenance',
  pausedBy: { id: 'u2', name: 'Ada Admin' },
  pausedAt: '2026-12-02T16:00:00.000Z',
  expiresAt: '2026-12-02T16:30:00.000Z',
  ...over,
});

export function jobRow(over: Partial<OpsJobRow> = {}): OpsJobRow {
  return {
    id: 'j1',
    kind: 'finalize_report',
    queue: 'reports',
    state: 'failed',
    bullState: 'failed',
    subject: { type: 'report', id: 'r1' },
    label: 'Informe de P-2026-000123 v2',
    link: '/protocols/p1?tab=report',
    createdBy: { id: 'u1', name: 'Sara Signer' },
    attempts: 3,
    progress: 40,
    stage: 'rendering',
    stages: [
      { stage: 'loading', at: '2026-12-02T15:59:00.000Z', ms: 120 },
      { stage: 'rendering', at: '2026-12-02T15:59:01.000Z', ms: null },
    ],
    failedReason: 'PDF renderer crashed',
    createdAt: '2026-12-02T15:58:59.000Z',
    startedAt: '2026-12-02T15:59:00.000Z',
    finishedAt: '2026-12-02T15:59:05.000Z',
    actions: ['retry', 'discard'],
    ...over,
  };
}

export function mailRow(over: Partial<OpsMailRow> = {}): OpsMailRow {
  return {
    id: 'm1',
    kind: 'report_version',
    recipient: 'vet@clinica.test',
    clinic: { id: 'c1', name: 'Clínica Norte' },
    label: 'Informe de P-2026-000123 v2',
    link: '/protocols/p1?tab=report',
    reportId: 'r1',
    version: 2,
    status: 'failed',
    attempts: 4,
    lastError: '451 service unavailable, try again later',
    serverResponse: null,
    messageId: '<r1.v2@vetlab.local>',
    createdAt: '2026-12-02T15:00:00.000Z',
    sentAt: null,
    nextAttemptAt: null,
    resendable: true,
    ...over,
  };
}
