export interface DependencyHealth {
  ok: boolean;
  latencyMs: number | null;
  error?: string;
}

export interface HealthView {
  status: 'ok' | 'down';
  role: 'api' | 'worker' | 'all';
  database: DependencyHealth & { driver: 'sqlite' | 'postgresql' };
  redis: DependencyHealth;
  uptimeSeconds: number;
}
