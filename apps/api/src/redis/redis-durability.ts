import { Logger, OnModuleInit } from '@nestjs/common';
import type { RedisDurability } from '@vetlab/shared';
import type Redis from 'ioredis';
import { AppConfig, ConfigError } from '../config/app-config';
import { whenSettled } from './when-settled';

const UNKNOWN = 'unknown';
/** How long a starting process waits for Redis before it reports the check as not done. */
const START_WAIT_MS = 2000;

/** What is wrong with these settings, in words for the log and /api/health. */
export function durabilityWarnings(d: Omit<RedisDurability, 'warnings'>): string[] {
  if (d.maxmemoryPolicy === UNKNOWN) return ['could not read the Redis settings (CONFIG GET refused or Redis away): eviction policy and persistence unchecked'];
  const warnings: string[] = [];
  if (d.maxmemoryPolicy !== 'noeviction') {
    warnings.push(`maxmemory-policy is ${d.maxmemoryPolicy}: a full Redis drops queued jobs; set it to noeviction`);
  }
  if (d.appendonly !== 'yes' && !d.save.trim()) {
    warnings.push('Redis keeps nothing on disk (appendonly no, save ""): a restart loses every queued job until the database sweep queues them again');
  }
  return warnings;
}

/** A configuration error (of Redis): the process prints it and exits. */
export class RedisDurabilityError extends ConfigError {}

/**
 * At start (API and worker) and whenever the connection comes back (a restarted Redis may run
 * with other settings), reads the eviction policy and persistence with CONFIG GET. Anything but
 * `noeviction` stops a production process from starting and is warned about elsewhere; no
 * persistence is warned about. /api/health reports the last reading. (Built by RedisModule with
 * its shared client.)
 */
export class RedisDurabilityCheck implements OnModuleInit {
  private readonly log = new Logger('Redis');
  current: RedisDurability = { maxmemoryPolicy: UNKNOWN, appendonly: UNKNOWN, save: UNKNOWN, warnings: [] };

  constructor(
    private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit() {
    await this.connected();
    const d = await this.check();
    if (this.config.env === 'production' && d.maxmemoryPolicy !== UNKNOWN && d.maxmemoryPolicy !== 'noeviction') {
      throw new RedisDurabilityError(
        `Redis at ${new URL(this.config.redis.url).host} has maxmemory-policy ${d.maxmemoryPolicy}: it may evict queued jobs. ` +
          'vetlab refuses to start in production unless it is noeviction (redis-cli config set maxmemory-policy noeviction, and in redis.conf).',
      );
    }
    this.redis.on('ready', () => void this.check());
  }

  /** Reads the settings now; logs each warning once per reading. Never throws. */
  async check(): Promise<RedisDurability> {
    const read = async (name: string) => ((await this.redis.call('config', 'get', name)) as string[])[1] ?? UNKNOWN;
    let settings: Omit<RedisDurability, 'warnings'>;
    try {
      const [maxmemoryPolicy, appendonly, save] = await Promise.all(['maxmemory-policy', 'appendonly', 'save'].map(read));
      settings = { maxmemoryPolicy, appendonly, save };
    } catch {
      settings = { maxmemoryPolicy: UNKNOWN, appendonly: UNKNOWN, save: UNKNOWN };
    }
    this.current = { ...settings, warnings: durabilityWarnings(settings) };
    for (const w of this.current.warnings) this.log.warn(w);
    return this.current;
  }

  /** Ready, or failed to connect, or the wait is over: a process still starts with Redis away. */
  private connected(): Promise<void> {
    return whenSettled(this.redis, START_WAIT_MS);
  }
}
