import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { LockWaitTimeoutException, NotFoundError, OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { ErrorBody } from '@vetlab/shared';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import { DomainError, DomainErrorCode } from './domain-error';
import { isDatabaseBusy } from '../database/database';
import { writeJson } from './write-json';

/** What an error answer needs of the request: Express's, or Node's own for the hot routes. */
type ErrorRequest = Pick<IncomingMessage, 'method' | 'url'> & { originalUrl?: string };

const STATUS: Record<DomainErrorCode, number> = {
  not_found: 404,
  conflict: 409,
  stale: 409,
  invalid: 400,
  forbidden: 403,
  unauthorized: 401,
  rate_limited: 429,
};

/**
 * One place that turns every error into the ErrorBody shape. Client errors keep their message;
 * anything unknown becomes a 500 with a correlation id that is also in the log, never a stack.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly log = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    this.send(exception, host.switchToHttp().getRequest<Request>(), host.switchToHttp().getResponse<ServerResponse>());
  }

  /** The error as an ErrorBody answer (also for the hot routes, on Node's own request and response). */
  send(exception: unknown, req: ErrorRequest, res: ServerResponse): void {
    const body = this.toBody(exception, req);
    if (res.headersSent) {
      res.end();
      return;
    }
    if (body.statusCode === 429 && exception instanceof DomainError && 'retryAfter' in exception) {
      res.setHeader('Retry-After', String((exception as DomainError & { retryAfter: number }).retryAfter));
    }
    writeJson(res, body.statusCode, body);
  }

  toBody(exception: unknown, req: ErrorRequest): ErrorBody {
    if (exception instanceof DomainError) {
      const statusCode = STATUS[exception.code];
      return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message: exception.message, details: exception.details };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const r = exception.getResponse();
      const message =
        typeof r === 'string' ? r : Array.isArray((r as { message?: unknown }).message)
          ? ((r as { message: string[] }).message).join('; ')
          : String((r as { message?: unknown }).message ?? exception.message);
      const details = typeof r === 'object' ? (r as { details?: ErrorBody['details'] }).details : undefined;
      if (statusCode >= 500) return this.unknown(exception, req);
      if (statusCode === 400 && !details && /JSON/.test(message)) {
        return { statusCode, error: 'Bad Request', message: `body: malformed JSON (${message})` };
      }
      return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, details };
    }
    if (exception instanceof OptimisticLockError) {
      return { statusCode: 409, error: 'Conflict', message: 'the record was changed by someone else; reload it and apply your change again' };
    }
    if (exception instanceof UniqueConstraintViolationException) {
      return { statusCode: 409, error: 'Conflict', message: 'a record with the same unique value already exists' };
    }
    if (exception instanceof LockWaitTimeoutException || isDatabaseBusy(exception)) {
      // Contention, not a fault: the client may simply try again.
      return { statusCode: 503, error: 'Service Unavailable', message: 'the database is busy; try again in a moment' };
    }
    if (exception instanceof NotFoundError) {
      return { statusCode: 404, error: 'Not Found', message: 'not found' };
    }
    // body-parser and friends: errors that carry a 4xx status of their own (bad JSON, too large).
    const status = (exception as { status?: number; statusCode?: number })?.status ?? (exception as { statusCode?: number })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = (exception as { type?: string }).type;
      const message =
        type === 'entity.parse.failed' ? 'body: malformed JSON' : type === 'entity.too.large' ? 'body: request body too large' : `request: ${(exception as Error).message}`;
      return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message };
    }
    return this.unknown(exception, req);
  }

  private unknown(exception: unknown, req: ErrorRequest): ErrorBody {
    const correlationId = randomUUID();
    this.log.error(
      `${req.method} ${req.originalUrl ?? req.url} failed [${correlationId}]: ${(exception as Error)?.message ?? exception}`,
      (exception as Error)?.stack,
    );
    return { statusCode: 500, error: 'Internal Server Error', message: 'unexpected error; quote the correlation id when reporting it', correlationId };
  }
}
