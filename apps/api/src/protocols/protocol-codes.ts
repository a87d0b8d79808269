import { EntityManager } from '@mikro-orm/core';

/** P-<year>-<6 digits>; the digits grow past six only after a million protocols in one year. */
export const formatProtocolCode = (year: number, n: number): string => `P-${year}-${String(n).padStart(6, '0')}`;

/**
 * Advances the year's counter with one atomic statement that both SQLite (3.35+) and PostgreSQL
 * understand. Run it inside the intake transaction: PostgreSQL then holds the row lock only until
 * commit, and a rolled-back intake gives its number back.
 */
export async function nextProtocolNumber(em: EntityManager, year: number): Promise<number> {
  const rows = await em
    .getConnection('write')
    .execute<{ value: number | string }[]>(
      'insert into protocol_counters (year, value) values (?, 1) on conflict (year) do update set value = protocol_counters.value + 1 returning value',
      [year],
      'all',
      em.getTransactionContext(),
    );
  const value = Number(rows[0]?.value);
  if (!Number.isInteger(value) || value < 1) throw new Error(`protocol counter for ${year} returned ${String(rows[0]?.value)}`);
  return value;
}
