import { ConnectionException, LockWaitTimeoutException } from '@mikro-orm/core';
import { JobState, UnavailableCode } from '@vetlab/shared';
import { attemptOutcome, HANDED_BACK, isOutsideFailure, waitingFor } from './failure-cause';
import { storageUnavailable } from '../common/domain-error';
import { PermanentJobError } from './permanent-job-error';
import { SupersededRunError } from './superseded-run-error';

const coded = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isOutsideFailure', () => {
  it.each([
    ['a lost PostgreSQL connection', new ConnectionException(new Error('Connection terminated unexpectedly'))],
    ['a socket reset', coded('read ECONNRESET', 'ECONNRESET')],
    ['a refused connection', coded('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['PostgreSQL shutting down', coded('terminating connection due to administrator command', '57P01')],
    ['SQLite busy', coded('database is locked', 'SQLITE_BUSY')],
    ['a lock wait timeout', new LockWaitTimeoutException(new Error('lock timeout'))],
    ['knex without a connection', Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' })],
    ['Redis unreachable', Object.assign(new Error('Reached the max retries per request limit (which is 20).'), { name: 'MaxRetriesPerRequestError' })],
    ['an error wrapping one of these', new Error('could not record the completion of job j1', { cause: coded('database is locked', 'SQLITE_BUSY') })],
    ['what Bull kept of a lost connection', 'Connection terminated unexpectedly'],
    ['Bull giving up on a job whose workers kept dying', 'job stalled more than allowable limit'],
    ['a job handed back from the operations console', HANDED_BACK],
    ['the file storage (S3) not answering', storageUnavailable('no answer within 800 ms')],
    ['what Bull kept of it', `${storageUnavailable('AbortError').message}\nError: ${storageUnavailable('AbortError').message}`],
    ['a run superseded by a newer run of its job', new SupersededRunError('a newer run of job j1 holds version 1 of report r1')],
    ['a full disk under a stored file', coded("ENOSPC: no space left on device, write", 'ENOSPC')],
    ['a full disk under SQLite, wrapped by the ORM', new Error('COMMIT; - database or disk is full', { cause: coded('database or disk is full', 'SQLITE_FULL') })],
    ['a full disk under PostgreSQL', coded('could not extend file "base/16384/16385": No space left on device', '53100')],
    ['what Bull kept of a full disk', 'Error: ENOSPC: no space left on device, write'],
    ['what Bull kept of a superseded run', 'a newer run of job j1 holds version 1 of report r1\nSupersededRunError: a newer run of job j1 holds version 1 of report r1'],
  ])('%s is outside the job', (_what, e) => {
    expect(isOutsideFailure(e)).toBe(true);
  });

  it.each([
    ['an ordinary error', new Error('disk full')],
    ['a PermanentJobError, whatever its message', new PermanentJobError('the connection to the clinic was closed')],
    ['what Bull kept of a PermanentJobError', 'version 1 no longer exists\nPermanentJobError: version 1 no longer exists'],
    ['a validation error', new TypeError("Cannot read properties of undefined (reading 'code')")],
    ['nothing at all', undefined],
  ])('%s is the job’s own', (_what, e) => {
    expect(isOutsideFailure(e)).toBe(false);
  });
});

describe('waitingFor', () => {
  it('a job that still runs waits for a full disk or the file storage; anything else, or a job that is over, waits for nothing said', () => {
    expect(waitingFor(JobState.Retrying, 'ENOSPC: no space left on device, write')).toBe(UnavailableCode.DiskFull);
    expect(waitingFor(JobState.Active, 'COMMIT; - database or disk is full')).toBe(UnavailableCode.DiskFull);
    expect(waitingFor(JobState.Queued, storageUnavailable('no answer within 800 ms').message)).toBe(UnavailableCode.Storage);
    expect(waitingFor(JobState.Retrying, 'connect ECONNREFUSED 127.0.0.1:5432')).toBeNull();
    expect(waitingFor(JobState.Retrying, null)).toBeNull();
    expect(waitingFor(JobState.Failed, 'ENOSPC: no space left on device, write')).toBeNull();
    expect(waitingFor(JobState.Completed, 'ENOSPC: no space left on device, write')).toBeNull();
  });
});

describe('attemptOutcome', () => {
  it('superseded, failed for good (a permanent error, or the last attempt failing for its own reason), else retried', () => {
    expect(attemptOutcome(new SupersededRunError('newer run'), true)).toBe('superseded');
    expect(attemptOutcome(new PermanentJobError('no record'), false)).toBe('failed');
    expect(attemptOutcome(new Error('bad data'), true)).toBe('failed');
    expect(attemptOutcome(new Error('bad data'), false)).toBe('retried');
    expect(attemptOutcome(coded('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), true)).toBe('retried');
  });
});
