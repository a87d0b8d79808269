import { z } from 'zod';

export const DependencyHealth = z.object({ ok: z.boolean(), latencyMs: z.number().nullable(), error: z.string().optional() });
export type DependencyHealth = z.infer<typeof DependencyHealth>;

export const HealthView = z
  .object({
    status: z.enum(['ok', 'down']),
    role: z.enum(['api', 'worker', 'all']),
    database: DependencyHealth.extend({ driver: z.enum(['sqlite', 'postgresql']) }),
    redis: DependencyHealth,
    uptimeSeconds: z.number(),
  })
  .meta({ id: 'HealthView' });
export type HealthView = z.infer<typeof HealthView>;
