import { BadRequestException, ForbiddenException, Logger } from '@nestjs/common';
import { LockWaitTimeoutException, OptimisticLockError } from '@mikro-orm/core';
import type { FastifyRequest } from 'fastify';
import { DomainError, invalid, notFound, stale } from './domain-error';
import { HttpExceptionFilter } from './http-exception.filter';

describe('HttpExceptionFilter', () => {
  const sut = new HttpExceptionFilter();
  const req = { method: 'GET', url: '/api/x' } as FastifyRequest;

  beforeEach(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it.each([
    [notFound('protocol'), 404, 'protocol not found'],
    [stale('work order'), 409, expect.stringContaining('changed by someone else')],
    [new DomainError('conflict', 'already finalized'), 409, 'already finalized'],
    [new DomainError('rate_limited', 'too many attempts'), 429, 'too many attempts'],
    [new ForbiddenException('requires role admin'), 403, 'requires role admin'],
  ])('maps %p to %i', (error, status, message) => {
    expect(sut.toBody(error, req)).toMatchObject({ statusCode: status, message });
  });

  it('answers a locked SQLite database with 503, from the ORM or from plain SQL', () => {
    const raw = Object.assign(new Error('insert into protocol_counters … - database is locked'), { code: 'SQLITE_BUSY' });
    expect(sut.toBody(raw, req)).toMatchObject({ statusCode: 503, message: expect.stringContaining('busy') });
    expect(sut.toBody(new LockWaitTimeoutException(raw), req)).toMatchObject({ statusCode: 503 });
  });

  it('keeps the field details of a validation error', () => {
    const body = sut.toBody(invalid('body.animal.name', 'required'), req);
    expect(body).toMatchObject({ statusCode: 400, details: [{ field: 'body.animal.name', message: 'required' }] });
    const pipe = sut.toBody(new BadRequestException({ message: 'query.page: too small', details: [{ field: 'query.page', message: 'too small' }] }), req);
    expect(pipe).toMatchObject({ statusCode: 400, message: 'query.page: too small' });
  });

  it('turns an optimistic-lock failure into 409', () => {
    expect(sut.toBody(new OptimisticLockError('x'), req).statusCode).toBe(409);
  });

  it('passes body-parser client errors through as 4xx', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { status: 413, type: 'entity.too.large' });
    expect(sut.toBody(tooLarge, req)).toMatchObject({ statusCode: 413, message: 'body: request body too large' });
  });

  it('hides unknown errors behind a 500 with a correlation id that is also logged', () => {
    const body = sut.toBody(new TypeError('cannot read x of undefined'), req);
    expect(body.statusCode).toBe(500);
    expect(body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(body)).not.toMatch(/TypeError|cannot read|at /);
    expect(Logger.prototype.error).toHaveBeenCalledWith(expect.stringContaining(body.correlationId!), expect.any(String));
  });
});
