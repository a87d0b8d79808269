import { ProtocolStatus } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';
import { BulkRun } from '../../src/bulk/bulk-run.entity';
import { Protocol } from '../../src/protocols/protocol.entity';
import { Clinic } from '../../src/clinics/clinic.entity';
import { User } from '../../src/users/user.entity';
import { TestApp } from './test-app';
import { waitUntil } from './wait';

let serial = 0;

/**
 * Protocols written straight into the database (multi-row inserts): a bulk test needs a thousand
 * of them, and intake over HTTP is tested elsewhere. Returns their ids in order.
 */
export async function insertProtocols(t: TestApp, n: number, o: { clinics: Clinic[]; createdBy: User; status?: ProtocolStatus }): Promise<string[]> {
  const em = t.em();
  const now = Date.now();
  const rows = Array.from({ length: n }, (_, i) => {
    const code = `B-${process.pid % 1000}-${String(++serial).padStart(6, '0')}`;
    const animalName = `Animal ${serial}`;
    return {
      id: randomUUID(),
      code,
      clinic: o.clinics[i % o.clinics.length].id,
      createdBy: o.createdBy.id,
      animalName,
      species: 'dog' as const,
      ownerName: 'Dueño de prueba',
      searchText: Protocol.searchTextOf({ code, animalName, ownerName: 'Dueño de prueba' }),
      samples: [{ type: 'serum' as const, count: 1 }],
      status: o.status ?? ProtocolStatus.Submitted,
      version: 1,
      createdAt: new Date(now - (n - i) * 1000),
      updatedAt: new Date(now),
    };
  });
  for (let i = 0; i < rows.length; i += 500) await em.insertMany(Protocol, rows.slice(i, i + 500));
  return rows.map((r) => r.id);
}

/** Waits until the run is over (completed, cancelled or failed) and returns it. */
export function runOver(t: TestApp, bulkId: string, ms = 30_000): Promise<BulkRun> {
  return waitUntil(
    async () => {
      const run = await t.em().findOne(BulkRun, { id: bulkId });
      return run && ['completed', 'cancelled', 'failed'].includes(run.state) ? run : null;
    },
    { ms, what: `bulk run ${bulkId} over` },
  );
}
