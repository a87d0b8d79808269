import { BadRequestException, ForbiddenException, Logger, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { ConnectionException, DriverException, LockWaitTimeoutException, OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import { ConflictCode, ErrorCode, FieldErrorCode, UnavailableCode } from '@vetlab/shared';
import { z } from 'zod';
import { RateLimitedError } from '../auth/login-rate-limiter';
import { ZodPipe } from './zod';
import type { FastifyRequest } from 'fastify';
import { conflict, DomainError, invalid, notFound, queueUnavailable, stale } from './domain-error';
import { asUnavailable, HttpExceptionFilter } from './http-exception.filter';

describe('HttpExceptionFilter', () => {
  const sut = new HttpExceptionFilter();
  const req = { method: 'GET', url: '/api/x' } as FastifyRequest;

  beforeEach(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it.each([
    [notFound('protocol'), 404, 'protocol not found', ErrorCode.NotFound],
    [stale('work order'), 409, expect.stringContaining('changed by someone else'), ErrorCode.Stale],
    [new DomainError('conflict', 'already finalized'), 409, 'already finalized', ErrorCode.Conflict],
    [conflict('the mail was sent', ConflictCode.MailAlreadySent), 409, 'the mail was sent', ConflictCode.MailAlreadySent],
    [new DomainError('rate_limited', 'too many attempts'), 429, 'too many attempts', ErrorCode.RateLimited],
    [new ForbiddenException('requires role admin'), 403, 'requires role admin', ErrorCode.Forbidden],
    [new UnauthorizedException('missing, invalid or expired access token'), 401, expect.stringContaining('token'), ErrorCode.Unauthenticated],
    [new DomainError('unauthorized', 'wrong email or password', undefined, ErrorCode.InvalidCredentials), 401, 'wrong email or password', ErrorCode.InvalidCredentials],
    [new NotFoundException('Cannot GET /api/nothing'), 404, 'Cannot GET /api/nothing', ErrorCode.NotFound],
  ])('maps %p to %i with its stable code', (error, status, message, code) => {
    expect(sut.toBody(error, req)).toMatchObject({ statusCode: status, message, code });
  });

  it('gives a rate-limited login its code (and the filter its Retry-After)', () => {
    expect(sut.toBody(new RateLimitedError('too many failed logins', 60), req)).toMatchObject({ statusCode: 429, code: ErrorCode.RateLimited });
  });

  it("codes a validation error and each field by zod's issue: required, too_small (with its limit), invalid_format, unrecognized keys", () => {
    const schema = z.object({ name: z.string().min(10), email: z.email(), kind: z.enum(['a', 'b']), age: z.number().max(30) }).strict();
    let error: unknown;
    try {
      new ZodPipe(schema, 'body').transform({ name: 'short', email: 'nope', kind: 'c', extra: 1 }, { type: 'body' });
    } catch (e) {
      error = e;
    }
    const body = sut.toBody(error, req);
    expect(body).toMatchObject({ statusCode: 400, code: ErrorCode.ValidationFailed });
    expect(body.details).toEqual([
      { field: 'body.name', message: expect.any(String), code: FieldErrorCode.TooSmall, limit: 10 },
      { field: 'body.email', message: expect.any(String), code: FieldErrorCode.InvalidFormat },
      { field: 'body.kind', message: expect.any(String), code: FieldErrorCode.InvalidValue },
      { field: 'body.age', message: 'required', code: FieldErrorCode.Required },
      { field: 'body', message: 'unknown field(s): extra', code: FieldErrorCode.UnrecognizedKeys },
    ]);
  });

  it('answers a locked SQLite database with 503, from the ORM or from plain SQL', () => {
    const raw = Object.assign(new Error('insert into protocol_counters … - database is locked'), { code: 'SQLITE_BUSY' });
    expect(sut.toBody(raw, req)).toMatchObject({ statusCode: 503, message: expect.stringContaining('busy') });
    expect(sut.toBody(new LockWaitTimeoutException(raw), req)).toMatchObject({ statusCode: 503 });
  });

  const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a connection dropped mid-query', new Error('Connection terminated unexpectedly')],
    ['a new connection that does not open in time', new Error('timeout exceeded when trying to connect')],
    ['a new connection that does not open in time, as pg\'s client says it', new Error('timeout expired')],
    ['no pooled connection within the acquire timeout', Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' })],
    ['an answer that never came', new Error('Query read timeout')],
    ['the statement timeout, wrapped by the ORM', new DriverException(pgError('57014', 'canceling statement due to statement timeout'))],
    ['a server shutting down', new DriverException(pgError('57P01', 'terminating connection due to administrator command'))],
    ['a connection exception class 08', new ConnectionException(pgError('08006', 'connection failure'))],
    ['too many connections', pgError('53300', 'sorry, too many clients already')],
  ])('answers %s with 503 DATABASE_UNAVAILABLE', (_, error) => {
    expect(sut.toBody(error, req)).toMatchObject({ statusCode: 503, code: UnavailableCode.Database, message: expect.stringContaining('database') });
  });

  it('answers a locked SQLite database with the code DATABASE_BUSY', () => {
    expect(sut.toBody(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }), req)).toMatchObject({ code: UnavailableCode.DatabaseBusy });
  });

  it.each([
    ['the queue producer failing fast', queueUnavailable()],
    ["ioredis giving up on a command (Bull's client)", Object.assign(new Error('Reached the max retries per request limit (which is 20).'), { name: 'MaxRetriesPerRequestError' })],
    ['a closed Redis connection', new Error('Connection is closed.')],
  ])('answers %s with 503 QUEUE_UNAVAILABLE', (_, error) => {
    expect(sut.toBody(error, req)).toMatchObject({ statusCode: 503, code: UnavailableCode.Queue, message: expect.stringContaining('Redis') });
  });

  it.each([
    ['a stored file the disk has no room for', Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })],
    ['a quota', Object.assign(new Error('EDQUOT: disk quota exceeded, write'), { code: 'EDQUOT' })],
    ['SQLite, as better-sqlite3 throws it', Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })],
    ['SQLite at COMMIT, wrapped by the ORM', new DriverException(Object.assign(new Error('COMMIT; - database or disk is full'), { code: 'SQLITE_FULL' }))],
    ['PostgreSQL out of room', new DriverException(pgError('53100', 'could not extend file "base/16384/16385": No space left on device'))],
  ])('answers %s with 503 DISK_FULL, to try again in a minute', (_, error) => {
    expect(sut.toBody(error, req)).toMatchObject({ statusCode: 503, code: UnavailableCode.DiskFull, message: expect.stringContaining('disk is full') });
    expect(asUnavailable(error)?.retryAfter).toBe(60);
  });

  it.each([
    ['a constraint the request broke', new UniqueConstraintViolationException(pgError('23505', 'duplicate key value'))],
    ['a syntax error', new DriverException(pgError('42601', 'syntax error at or near "selec"'))],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
  ])('does not take %s for an outage', (_, error) => {
    expect(sut.toBody(error, req).statusCode).not.toBe(503);
  });

  it('keeps the field details of a validation error', () => {
    const body = sut.toBody(invalid('body.animal.name', 'required'), req);
    expect(body).toMatchObject({ statusCode: 400, code: ErrorCode.ValidationFailed, details: [{ field: 'body.animal.name', message: 'required', code: FieldErrorCode.InvalidValue }] });
    expect(sut.toBody(invalid('body.clinicId', 'unknown clinic', FieldErrorCode.UnknownReference), req).details).toEqual([
      { field: 'body.clinicId', message: 'unknown clinic', code: FieldErrorCode.UnknownReference },
    ]);
    const pipe = sut.toBody(new BadRequestException({ message: 'query.page: too small', details: [{ field: 'query.page', message: 'too small' }] }), req);
    expect(pipe).toMatchObject({ statusCode: 400, message: 'query.page: too small' });
  });

  it('turns an optimistic-lock failure into 409', () => {
    expect(sut.toBody(new OptimisticLockError('x'), req)).toMatchObject({ statusCode: 409, code: ErrorCode.Stale });
    expect(sut.toBody(new UniqueConstraintViolationException(pgError('23505', 'duplicate key value')), req)).toMatchObject({ statusCode: 409, code: ErrorCode.AlreadyExists });
  });

  it('passes body-parser client errors through as 4xx', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { status: 413, type: 'entity.too.large' });
    expect(sut.toBody(tooLarge, req)).toMatchObject({ statusCode: 413, message: 'body: request body too large', code: ErrorCode.PayloadTooLarge });
    const badJson = Object.assign(new Error('Unexpected token'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' });
    expect(sut.toBody(badJson, req)).toMatchObject({ statusCode: 400, code: ErrorCode.MalformedBody });
    const media = Object.assign(new Error('Unsupported Media Type'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
    expect(sut.toBody(media, req)).toMatchObject({ statusCode: 415, code: ErrorCode.UnsupportedMediaType });
  });

  it('hides unknown errors behind a 500 with a correlation id that is also logged', () => {
    const body = sut.toBody(new TypeError('cannot read x of undefined'), req);
    expect(body.statusCode).toBe(500);
    expect(body.code).toBe(ErrorCode.Internal);
    expect(body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(body)).not.toMatch(/TypeError|cannot read|at /);
    expect(Logger.prototype.error).toHaveBeenCalledWith(expect.stringContaining(body.correlationId!), expect.any(String));
  });

  it("logs a request's path without its query string, which may hold what a person searched for", () => {
    const body = sut.toBody(new TypeError('boom'), { method: 'GET', url: '/api/protocols?q=Mar%C3%ADa%20G%C3%B3mez&page=2' });
    expect(Logger.prototype.error).toHaveBeenCalledWith(`GET /api/protocols?… failed [${body.correlationId}]: boom`, expect.any(String));
  });
});
