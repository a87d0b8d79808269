import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger, NotFoundException } from '@nestjs/common';
import { NotFoundError, OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import { AnyErrorCode, ErrorBody, ErrorCode, UnavailableCode } from '@vetlab/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { ConflictError, databaseBusy, databaseUnavailable, diskFull, DomainError, DomainErrorCode, queueUnavailable, UnavailableError } from './domain-error';
import { isDiskFull } from './disk-full';
import { isDatabaseBusy, isDatabaseUnavailable } from '../database/database';
import { isRedisUnreachable } from './redis-rejection-guard';

/** What an error answer needs of the request. */
type ErrorRequest = Pick<FastifyRequest, 'method' | 'url'>;

const STATUS: Record<DomainErrorCode, number> = {
  not_found: 404,
  conflict: 409,
  stale: 409,
  invalid: 400,
  forbidden: 403,
  unauthorized: 401,
  rate_limited: 429,
  unavailable: 503,
  gone: 410,
};

/** The stable code of a domain error without a more specific one. */
const DOMAIN_CODES: Record<Exclude<DomainErrorCode, 'unavailable'>, ErrorCode> = {
  not_found: ErrorCode.NotFound,
  conflict: ErrorCode.Conflict,
  stale: ErrorCode.Stale,
  invalid: ErrorCode.ValidationFailed,
  forbidden: ErrorCode.Forbidden,
  unauthorized: ErrorCode.Unauthenticated,
  rate_limited: ErrorCode.RateLimited,
  gone: ErrorCode.PasswordLinkInvalid,
};

/** The stable code of any other client error, by its status. */
const STATUS_CODES_OF: Record<number, ErrorCode> = {
  401: ErrorCode.Unauthenticated,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.UnsupportedMediaType,
  429: ErrorCode.RateLimited,
};
const codeOfStatus = (status: number): ErrorCode => STATUS_CODES_OF[status] ?? ErrorCode.BadRequest;

/** Body parsing errors by their code: Fastify's, and the `type` body-parser gives them. */
const BODY_ERRORS: Record<string, { message: string; code: ErrorCode }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { message: 'body: malformed JSON', code: ErrorCode.MalformedBody },
  FST_ERR_CTP_EMPTY_JSON_BODY: { message: 'body: malformed JSON (empty)', code: ErrorCode.MalformedBody },
  'entity.parse.failed': { message: 'body: malformed JSON', code: ErrorCode.MalformedBody },
  FST_ERR_CTP_BODY_TOO_LARGE: { message: 'body: request body too large', code: ErrorCode.PayloadTooLarge },
  'entity.too.large': { message: 'body: request body too large', code: ErrorCode.PayloadTooLarge },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { message: 'body: unsupported content type', code: ErrorCode.UnsupportedMediaType },
};

/**
 * One place that turns every error into the ErrorBody shape, always with its stable `code` (what a
 * client shows is worded from the code, never from the message). Client errors keep their message;
 * anything unknown becomes a 500 with a correlation id that is also in the log, never a stack.
 * With an SPA build, a GET outside /api that no route took is a client-side route: index.html.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly log = new Logger('Errors');
  private readonly spaIndex: Buffer | null;

  constructor(spaIndexPath: string | null = null) {
    this.spaIndex = spaIndexPath ? readFileSync(spaIndexPath) : null;
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (reply.sent) {
      reply.raw.end();
      return;
    }
    if (this.spaIndex && exception instanceof NotFoundException && isSpaRoute(req)) {
      void reply.status(200).header('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(this.spaIndex);
      return;
    }
    const error = asUnavailable(exception) ?? exception;
    if (error instanceof UnavailableError && error.service === UnavailableCode.DiskFull) {
      this.log.error(`${req.method} ${loggedPath(req)} refused, the disk is full: ${(exception as Error)?.message ?? exception}`);
    }
    const body = this.toBody(error, req);
    // A 429 or 503 says when trying again makes sense (RateLimitedError, UnavailableError).
    const { retryAfter } = (error ?? {}) as { retryAfter?: unknown };
    if (error instanceof DomainError && typeof retryAfter === 'number') void reply.header('Retry-After', String(retryAfter));
    void reply.status(body.statusCode).send(body);
  }

  toBody(exception: unknown, req: ErrorRequest): ErrorBody {
    exception = asUnavailable(exception) ?? exception;
    if (exception instanceof DomainError) {
      const statusCode = STATUS[exception.code];
      const code: AnyErrorCode =
        exception instanceof UnavailableError
          ? exception.service
          : ((exception instanceof ConflictError ? exception.reason : undefined) ?? exception.errorCode ?? DOMAIN_CODES[exception.code as Exclude<DomainErrorCode, 'unavailable'>]);
      return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message: exception.message, code, details: exception.details };
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
        return { statusCode, error: 'Bad Request', message: `body: malformed JSON (${message})`, code: ErrorCode.MalformedBody };
      }
      const code = details ? ErrorCode.ValidationFailed : codeOfStatus(statusCode);
      return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, code, details };
    }
    if (exception instanceof OptimisticLockError) {
      return { statusCode: 409, error: 'Conflict', message: 'the record was changed by someone else; reload it and apply your change again', code: ErrorCode.Stale };
    }
    if (exception instanceof UniqueConstraintViolationException) {
      return { statusCode: 409, error: 'Conflict', message: 'a record with the same unique value already exists', code: ErrorCode.AlreadyExists };
    }
    if (exception instanceof NotFoundError) {
      return { statusCode: 404, error: 'Not Found', message: 'not found', code: ErrorCode.NotFound };
    }
    // The body parser's own errors (bad JSON, too large, no parser for the type) carry a 4xx.
    const status = (exception as { status?: number; statusCode?: number })?.status ?? (exception as { statusCode?: number })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const { type, code } = exception as { type?: string; code?: string };
      const known = BODY_ERRORS[type ?? code ?? ''];
      const message = known?.message ?? `request: ${(exception as Error).message}`;
      return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message, code: known?.code ?? codeOfStatus(status) };
    }
    return this.unknown(exception, req);
  }

  private unknown(exception: unknown, req: ErrorRequest): ErrorBody {
    const correlationId = randomUUID();
    this.log.error(
      `${req.method} ${loggedPath(req)} failed [${correlationId}]: ${(exception as Error)?.message ?? exception}`,
      (exception as Error)?.stack,
    );
    return { statusCode: 500, error: 'Internal Server Error', message: 'unexpected error; quote the correlation id when reporting it', code: ErrorCode.Internal, correlationId };
  }
}

/**
 * A request's path as the logs show it: without its query string, which may carry what a person
 * searched for (an owner's name, a phone number). The path holds ids only.
 */
export function loggedPath(req: Pick<FastifyRequest, 'url'>): string {
  const q = req.url.indexOf('?');
  return q < 0 ? req.url : `${req.url.slice(0, q)}?…`;
}

/**
 * Errors of a service that is down or busy, whoever raised them: a 503 naming it, never a 500.
 * (Database contention is not a fault either: the client may simply try again.) A full disk is one
 * too, whichever write found it (the embedded database, a stored file, the outbox).
 */
export function asUnavailable(exception: unknown): UnavailableError | null {
  if (exception instanceof UnavailableError) return exception;
  if (isDiskFull(exception)) return diskFull();
  if (isDatabaseBusy(exception)) return databaseBusy();
  if (isDatabaseUnavailable(exception)) return databaseUnavailable();
  if (isRedisUnreachable(exception)) return queueUnavailable();
  return null;
}

function isSpaRoute(req: ErrorRequest): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && !/^\/(api|socket\.io)(\/|\?|$)/.test(req.url);
}
