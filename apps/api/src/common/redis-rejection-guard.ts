import { Logger } from '@nestjs/common';

/** Errors ioredis and Bull raise while Redis is unreachable; they heal when it comes back. */
const REDIS_UNREACHABLE = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|Connection is closed|Stream isn't writeable|MaxRetriesPerRequestError|max retries per request/i;

export function isRedisUnreachable(reason: unknown): boolean {
  const e = reason as { message?: unknown; code?: unknown; name?: unknown } | null;
  return REDIS_UNREACHABLE.test(`${e?.name ?? ''} ${e?.code ?? ''} ${e?.message ?? reason}`);
}

/**
 * Bull starts some Redis commands without awaiting them (naming the worker connection when a
 * processor registers): with Redis down at start, their rejection has no handler and Node would
 * end the process. Those are logged as a warning (the queues reconnect by themselves and the
 * health check says 503 meanwhile); any other unhandled rejection still ends the process.
 */
export function installRedisRejectionGuard(log = new Logger('vetlab'), exit: (code: number) => void = (c) => process.exit(c)): (reason: unknown) => void {
  const handler = (reason: unknown) => {
    if (isRedisUnreachable(reason)) {
      log.warn(`Redis is unreachable (${(reason as Error)?.message ?? reason}); waiting for it to come back`);
      return;
    }
    log.error(`unhandled rejection: ${(reason as Error)?.stack ?? reason}`);
    exit(1);
  };
  process.on('unhandledRejection', handler);
  return handler;
}
