import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What every log line written on behalf of a request or a job carries. */
export interface LogContext {
  requestId?: string;
  jobId?: string;
  jobKind?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/**
 * Runs `fn` (and everything it starts) in `ctx`, in place of any context around it: a job started
 * from a request's code is not that request's.
 */
export function runWithLogContext<T>(ctx: LogContext, fn: () => T): T {
  return storage.run({ ...ctx }, fn);
}

/** The context of the code running now (empty outside a request or a job). */
export function logContext(): LogContext {
  return storage.getStore() ?? {};
}

/** A request id a client or a proxy may choose: short, printable, no spaces or quotes. */
const SANE_REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

/** The request id of a request: its X-Request-Id when present and sane, else a new one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given && SANE_REQUEST_ID.test(given) ? given : randomUUID();
}
