import { EntityData, EntityManager, EntityName, Utils } from '@mikro-orm/core';
import { insertBatchSize, insertValues } from '../database/database';
import { AuditLog } from '../audit/audit-log.entity';
import { Protocol } from '../protocols/protocol.entity';
import { ReportVersion } from '../reports/report-version.entity';
import { Report } from '../reports/report.entity';
import { ResultRow } from '../reports/result-row.entity';
import { WorkOrder } from '../work-orders/work-order.entity';

/** Buffered rows (all tables) before the writer flushes: bounds memory on the bench profile. */
const FLUSH_AT = 20_000;

type Row = Record<string, unknown>;
interface Table {
  /** An entity (MikroORM maps properties to columns and converts JSON, dates, booleans) or a pivot table name. */
  target: EntityName<object> | string;
  rows: Row[];
}

/** Where the protocol factory puts its rows (the writer, or a recorder in unit tests). */
export interface RowSink {
  add<T extends object>(target: EntityName<T>, row: EntityData<T>): void;
  add(target: string, row: Row): void;
}

/**
 * Buffers plain rows per table and writes them as multi-row INSERTs in chunks, in foreign-key
 * order, inside the caller's transaction. One statement per chunk instead of one flush per entity
 * is what keeps the bench profile (hundreds of thousands of rows) fast on both drivers.
 */
export class SeedWriter implements RowSink {
  private readonly tables: Table[] = [Protocol, 'protocol_panels', WorkOrder, Report, ReportVersion, ResultRow, AuditLog].map(
    (target) => ({ target, rows: [] }),
  );
  private buffered = 0;
  readonly written = new Map<string, number>();

  constructor(private readonly em: EntityManager) {}

  add<T extends object>(target: EntityName<T>, row: EntityData<T>): void;
  add(target: string, row: Row): void;
  add(target: EntityName<object> | string, row: Row): void {
    const table = this.tables.find((t) => t.target === target);
    if (!table) throw new Error(`SeedWriter has no table ${nameOf(target)}`);
    table.rows.push(row);
    this.buffered++;
  }

  /** Writes everything buffered once enough has piled up. */
  async maybeFlush(): Promise<void> {
    if (this.buffered >= FLUSH_AT) await this.flush();
  }

  async flush(): Promise<void> {
    for (const table of this.tables) {
      if (!table.rows.length) continue;
      await insertRows(this.em, table.target, table.rows);
      this.written.set(nameOf(table.target), (this.written.get(nameOf(table.target)) ?? 0) + table.rows.length);
      table.rows = [];
    }
    this.buffered = 0;
  }
}

/** Multi-row INSERTs in chunks sized by the number of bound parameters. */
export async function insertRows(em: EntityManager, target: EntityName<object> | string, rows: Row[]): Promise<void> {
  if (!rows.length) return;
  if (typeof target === 'string') {
    // Pivot tables have no entity of their own: a plain multi-row VALUES list on both drivers
    // (knex's SQLite dialect would write UNION ALL selects, capped at 500 terms).
    const cols = Object.keys(rows[0]);
    const q = (id: string) => em.getPlatform().quoteIdentifier(id);
    await insertValues(em, q(target), cols.map(q), rows.map((row) => cols.map((c) => row[c])));
    return;
  }
  const size = insertBatchSize(Object.keys(rows[0]).length);
  for (let i = 0; i < rows.length; i += size) await em.insertMany(target, rows.slice(i, i + size));
}

const nameOf = (target: EntityName<object> | string) => (typeof target === 'string' ? target : Utils.className(target));
