/** Small coded errors that services throw; the exception filter maps each code to an HTTP status. */
export type DomainErrorCode = 'not_found' | 'conflict' | 'stale' | 'invalid' | 'forbidden' | 'unauthorized' | 'rate_limited';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: { field: string; message: string }[],
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new DomainError('not_found', `${what} not found`);
export const conflict = (message: string) => new DomainError('conflict', message);
export const stale = (what: string) =>
  new DomainError('stale', `${what} was changed by someone else; reload it and apply your change again`);
export const invalid = (field: string, message: string) =>
  new DomainError('invalid', `${field}: ${message}`, [{ field, message }]);
