import { DiskSpace, OpsWorker, QueueName, values } from '@vetlab/shared';

/** A worker counts as gone after this many missed reports. */
export const MISSED_BEATS = 3;

/** Redis key (under the deployment's prefix parts) of the hash: worker id → its latest report (JSON). */
export const HEARTBEATS_KEY = ['ops', 'workers'] as const;

/** What a worker writes every beat. */
export type Heartbeat = Omit<OpsWorker, 'lastSeenAt'> & { lastSeenAt: number };

/**
 * The workers alive at `now` (reported within `ttlMs`), oldest first, and the ids of the reports too
 * old to count (to remove). An entry that does not parse counts as stale.
 */
export function aliveWorkers(hash: Record<string, string>, now: number, ttlMs: number): { alive: OpsWorker[]; stale: string[] } {
  const alive: OpsWorker[] = [];
  const stale: string[] = [];
  const queues = new Set<string>(values(QueueName));
  for (const [id, json] of Object.entries(hash)) {
    const beat = parse(json);
    if (!beat || now - beat.lastSeenAt > ttlMs) {
      stale.push(id);
      continue;
    }
    alive.push({ ...beat, id, queues: beat.queues.filter((q) => queues.has(q)), lastSeenAt: new Date(beat.lastSeenAt).toISOString() });
  }
  alive.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
  return { alive, stale };
}

function parse(json: string): Heartbeat | null {
  try {
    const v = JSON.parse(json) as Partial<Heartbeat>;
    if (typeof v.lastSeenAt !== 'number' || !Array.isArray(v.queues) || typeof v.host !== 'string' || typeof v.pid !== 'number' || typeof v.startedAt !== 'string') return null;
    return {
      id: String(v.id ?? ''),
      host: v.host,
      pid: v.pid,
      queues: v.queues,
      renderThreads: Number(v.renderThreads ?? 0),
      disk: parseDisk(v.disk),
      startedAt: v.startedAt,
      lastSeenAt: v.lastSeenAt,
    };
  } catch {
    return null;
  }
}

/** A report's disk figures, or null (a worker of a version before them, or one that could not read its disk). */
function parseDisk(d: unknown): DiskSpace | null {
  const v = d as Partial<DiskSpace> | null | undefined;
  return v && typeof v.freeBytes === 'number' && typeof v.totalBytes === 'number' && typeof v.low === 'boolean' ? { freeBytes: v.freeBytes, totalBytes: v.totalBytes, low: v.low } : null;
}

/** Per queue: how many alive workers serve it, and their render threads (renders run on the report and work-order queues only). */
export function workersByQueue(workers: readonly OpsWorker[]): Record<QueueName, { workers: number; renderThreads: number }> {
  const renders = new Set<QueueName>([QueueName.Reports, QueueName.WorkOrderPdfs]);
  const out = {} as Record<QueueName, { workers: number; renderThreads: number }>;
  for (const q of values(QueueName)) {
    const serving = workers.filter((w) => w.queues.includes(q));
    out[q] = { workers: serving.length, renderThreads: renders.has(q) ? serving.reduce((n, w) => n + w.renderThreads, 0) : 0 };
  }
  return out;
}
