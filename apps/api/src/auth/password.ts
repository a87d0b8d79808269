import argon2 from 'argon2';

/** argon2id; `low` is for tests and seeds of throwaway databases only. */
export function hashPassword(plain: string, cost: 'normal' | 'low' = 'normal'): Promise<string> {
  return argon2.hash(plain, cost === 'low' ? { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 } : { type: argon2.argon2id });
}

export function verifyPassword(hash: string, plain: string): Promise<boolean> {
  return argon2.verify(hash, plain).catch(() => false);
}
