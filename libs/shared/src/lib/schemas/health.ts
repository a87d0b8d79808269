import { z } from 'zod';

export const DependencyHealth = z.object({ ok: z.boolean(), latencyMs: z.number().nullable(), error: z.string().optional() });
export type DependencyHealth = z.infer<typeof DependencyHealth>;

/**
 * Room on the disk of a process's data folder (the embedded database, local files, the outbox): the
 * least free of the filesystems it writes to. `low` below DISK_LOW_FREE_MB: an administrator should
 * free space before writes start failing (503 DISK_FULL).
 */
export const DiskSpace = z.object({ freeBytes: z.number(), totalBytes: z.number(), low: z.boolean() }).meta({ id: 'DiskSpace' });
export type DiskSpace = z.infer<typeof DiskSpace>;

/**
 * Whether Redis keeps what it is given: `noeviction` (a full Redis refuses writes instead of
 * dropping queued jobs) and some persistence. `unknown` when CONFIG GET is not allowed (some
 * managed Redis) or Redis has not answered yet; `warnings` says what is wrong or unchecked.
 */
export const RedisDurability = z
  .object({
    maxmemoryPolicy: z.string(),
    appendonly: z.string(),
    save: z.string(),
    warnings: z.array(z.string()),
  })
  .meta({ id: 'RedisDurability' });
export type RedisDurability = z.infer<typeof RedisDurability>;

export const HealthView = z
  .object({
    status: z.enum(['ok', 'down']),
    role: z.enum(['api', 'worker', 'all']),
    database: DependencyHealth.extend({ driver: z.enum(['sqlite', 'postgresql']) }),
    redis: DependencyHealth.extend({ durability: RedisDurability }),
    /** Where PDFs and signatures are kept: the local folder or an S3-compatible bucket. */
    storage: DependencyHealth.extend({ kind: z.enum(['local', 's3']) }),
    /** This process's data disk; a low one does not make the status `down` (reading still works). Null when it cannot be read. */
    disk: DiskSpace.nullable(),
    uptimeSeconds: z.number(),
  })
  .meta({ id: 'HealthView' });
export type HealthView = z.infer<typeof HealthView>;

/**
 * What `GET /api/health` tells anybody in production (load balancers): up or not, and which
 * service is down. The details (HealthView) are for admins there.
 */
export const HealthSummary = z
  .object({
    status: z.enum(['ok', 'down']),
    down: z.array(z.enum(['database', 'redis', 'storage'])),
  })
  .meta({ id: 'HealthSummary' });
export type HealthSummary = z.infer<typeof HealthSummary>;
