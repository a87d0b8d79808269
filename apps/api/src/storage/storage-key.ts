export class InvalidStorageKeyError extends Error {
  constructor(key: string, why: string) {
    super(`invalid storage key ${JSON.stringify(key).slice(0, 120)}: ${why}`);
  }
}

const KEY = /^[a-z0-9][a-z0-9/_.-]*$/;
const MAX_KEY_LENGTH = 512;

/**
 * The one rule for storage keys, whatever the storage: lowercase letters, digits and `/ _ . -`, no
 * empty, `.` or `..` segment, no segment starting with a dot (a local folder's temp files do, so a
 * key can never name one). Throws InvalidStorageKeyError for anything else; returns the key.
 */
export function checkStorageKey(key: string): string {
  if (typeof key !== 'string' || !key) throw new InvalidStorageKeyError(String(key), 'empty');
  if (key.length > MAX_KEY_LENGTH) throw new InvalidStorageKeyError(key, 'too long');
  if (!KEY.test(key)) throw new InvalidStorageKeyError(key, 'only a-z 0-9 / _ . - allowed, starting with a letter or digit');
  if (key.includes('..')) throw new InvalidStorageKeyError(key, '".." is not allowed');
  if (key.split('/').some((segment) => segment === '' || segment.startsWith('.'))) {
    throw new InvalidStorageKeyError(key, 'empty segment or segment starting with "."');
  }
  return key;
}
