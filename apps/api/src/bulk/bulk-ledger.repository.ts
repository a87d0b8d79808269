import { EntityManager, raw } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import { BulkItemStatus, BulkRunState, ProtocolStatus } from '@vetlab/shared';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { executeUpdate, selectRows } from '../database/database';
import { Protocol } from '../protocols/protocol.entity';
import { BulkItem } from './bulk-item.entity';
import { BulkRun } from './bulk-run.entity';
import { ACTIVE_RUN_STATES } from './bulk-views';
import { BulkItemRow } from './bulk-views';

const ITEM_SELECT = `select i.protocol_id, p.code, p.animal_name, i.status, i.reason, i.attempts, i.processed_at
  from bulk_items i left join protocols p on p.id = i.protocol_id where i.run_id = ?`;

/** What a chunk reads of each of its protocols. */
export interface ChunkProtocol {
  status: ProtocolStatus;
  code: string;
  clinicId: string;
}

export interface Outcome {
  status: BulkItemStatus;
  reason: string | null;
}

/**
 * The bulk ledger: a run's items (`bulk_items`), the counters and state of its run (`bulk_runs`),
 * and the set-based status change a chunk makes to its protocols. Every statement runs in the
 * caller's transaction (`em`); the SQL of both drivers is here, and nothing else writes these rows.
 */
@Injectable()
export class BulkLedgerRepository {
  private readonly postgres: boolean;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.postgres = config.database.driver === 'postgresql';
  }

  /** A run a worker starts (or takes up again): running, keeping the first start time. */
  async markRunning(em: EntityManager, runId: string, startedAt: Date): Promise<void> {
    await em.nativeUpdate(BulkRun, { id: runId }, { state: 'running', startedAt });
  }

  /** A run whose items are all accounted for. */
  async close(em: EntityManager, runId: string, state: 'completed' | 'cancelled'): Promise<void> {
    await em.nativeUpdate(BulkRun, { id: runId }, { state, finishedAt: new Date() });
  }

  /** A run whose job ran out of attempts; its pending items stay pending for a resume. */
  async markFailed(em: EntityManager, runId: string): Promise<void> {
    await em.nativeUpdate(BulkRun, { id: runId, state: { $in: ['queued', 'running'] } }, { state: 'failed', finishedAt: new Date() });
  }

  /** A failed run queued again, only if it is still in the state it was read in; true when it was. */
  async reopen(em: EntityManager, runId: string, from: BulkRunState): Promise<boolean> {
    return (await em.nativeUpdate(BulkRun, { id: runId, state: from }, { state: 'queued', finishedAt: null })) === 1;
  }

  /** The processor stops after its current chunk (a run that is over is left alone). */
  async requestCancel(em: EntityManager, runId: string): Promise<void> {
    await em.nativeUpdate(BulkRun, { id: runId, state: { $in: ACTIVE_RUN_STATES } }, { cancelRequested: true });
  }

  /**
   * A chunk's change: the protocols move to the run's target status, each only from the status it
   * was read in. Returns how many moved (fewer means another change raced the chunk).
   */
  async changeStatuses(em: EntityManager, ids: string[], froms: ProtocolStatus[], changes: Record<string, unknown>): Promise<number> {
    return em.nativeUpdate(Protocol, { id: { $in: ids }, status: { $in: froms } }, { ...changes, version: raw('version + 1') });
  }

  /** The number the next run takes (the unique key settles a tie). */
  async nextRunNumber(em: EntityManager): Promise<number> {
    const [{ n }] = await selectRows<{ n: number | string }>(em, 'select coalesce(max(number), 0) + 1 as n from bulk_runs');
    return Number(n);
  }

  /** The failed items of a run, as the pending ledger of a new one (in their order). */
  async copyFailed(em: EntityManager, toRunId: string, fromRunId: string): Promise<void> {
    await executeUpdate(
      em,
      `insert into bulk_items (run_id, protocol_id, position, status, attempts)
       select ?, protocol_id, row_number() over (order by position) - 1, 'pending', 0 from bulk_items where run_id = ? and status = 'failed'`,
      [toRunId, fromRunId],
    );
  }

  /**
   * The ids the request stored on the run become pending items, in request order, with one
   * INSERT … SELECT over the stored JSON; the same statement pair clears them, so this happens once.
   */
  async writeFromPendingIds(em: EntityManager, runId: string): Promise<void> {
    const rows =
      this.postgres
        ? `select r.id, x.id::uuid, x.ord - 1, 'pending', 0 from bulk_runs r
           cross join lateral jsonb_array_elements_text(r.pending_ids::jsonb) with ordinality as x(id, ord)
           where r.id = ? and r.pending_ids is not null`
        : `select r.id, j.value, j.key, 'pending', 0 from bulk_runs r, json_each(r.pending_ids) j where r.id = ? and r.pending_ids is not null`;
    await executeUpdate(em, `insert into bulk_items (run_id, protocol_id, position, status, attempts) ${rows}`, [runId]);
    await executeUpdate(em, 'update bulk_runs set pending_ids = null where id = ? and pending_ids is not null', [runId]);
  }

  /** The next pending items, in order. */
  async pending(em: EntityManager, runId: string, limit: number): Promise<{ protocolId: string; position: number }[]> {
    const rows = await selectRows<{ protocol_id: string; position: number | string }>(
      em,
      `select protocol_id, position from bulk_items where run_id = ? and status = 'pending' order by position limit ?`,
      [runId, limit],
    );
    return rows.map((r) => ({ protocolId: r.protocol_id, position: Number(r.position) }));
  }

  /** The current status (with code and clinic) of these protocols, locked until the chunk commits where the driver can. */
  async protocolStatuses(em: EntityManager, ids: string[]): Promise<Map<string, ChunkProtocol>> {
    const lock = this.postgres ? ' for update' : '';
    const rows = await selectRows<{ id: string; status: ProtocolStatus; code: string; clinic_id: string }>(
      em,
      `select id, status, code, clinic_id from protocols where id in (${ids.map(() => '?').join(', ')})${lock}`,
      ids,
    );
    return new Map(rows.map((p) => [p.id, { status: p.status, code: p.code, clinicId: p.clinic_id }]));
  }

  /** Each item's outcome, with one UPDATE per distinct outcome (a handful per chunk), and the run's counters. */
  async record(em: EntityManager, runId: string, outcomes: { position: number; outcome: Outcome }[]): Promise<void> {
    const groups = new Map<string, { outcome: Outcome; positions: number[] }>();
    for (const { position, outcome } of outcomes) {
      const key = `${outcome.status}\u0000${outcome.reason ?? ''}`;
      const g = groups.get(key) ?? { outcome, positions: [] };
      g.positions.push(position);
      groups.set(key, g);
    }
    const now = new Date();
    for (const { outcome, positions } of groups.values()) {
      await em.nativeUpdate(
        BulkItem,
        { runId, position: { $in: positions }, status: 'pending' },
        { status: outcome.status, reason: outcome.reason, attempts: raw('attempts + 1'), processedAt: now },
      );
    }
    const count = (s: BulkItemStatus) => outcomes.filter((o) => o.outcome.status === s).length;
    await executeUpdate(em, 'update bulk_runs set succeeded = succeeded + ?, skipped = skipped + ?, failed = failed + ? where id = ?', [
      count('succeeded'),
      count('skipped'),
      count('failed'),
      runId,
    ]);
  }

  /** Every pending item becomes cancelled with the reason; returns how many. */
  async cancelPending(em: EntityManager, runId: string, reason: string): Promise<number> {
    const n = await em.nativeUpdate(BulkItem, { runId, status: 'pending' }, { status: 'cancelled', reason, processedAt: new Date() });
    if (n) await executeUpdate(em, 'update bulk_runs set cancelled = cancelled + ? where id = ?', [n, runId]);
    return n;
  }

  /** The clinics with a protocol the run changed, and the addresses that receive their mail. */
  async changedClinics(em: EntityManager, runId: string): Promise<{ id: string; resultEmails: string[] }[]> {
    const rows = await selectRows<{ id: string; result_emails: string | string[] }>(
      em,
      `select c.id, c.result_emails from clinics c where c.id in (
         select p.clinic_id from bulk_items i join protocols p on p.id = i.protocol_id where i.run_id = ? and i.status = 'succeeded')`,
      [runId],
    );
    return rows.map((c) => ({ id: c.id, resultEmails: typeof c.result_emails === 'string' ? (JSON.parse(c.result_emails) as string[]) : c.result_emails }));
  }

  /** The protocols of one clinic that the run changed, in the run's order (a digest's lines). */
  async changedProtocols(em: EntityManager, runId: string, clinicId: string): Promise<{ code: string; animalName: string }[]> {
    const rows = await selectRows<{ code: string; animal_name: string }>(
      em,
      `select p.code, p.animal_name from bulk_items i join protocols p on p.id = i.protocol_id
        where i.run_id = ? and i.status = 'succeeded' and p.clinic_id = ? order by i.position`,
      [runId, clinicId],
    );
    return rows.map((p) => ({ code: p.code, animalName: p.animal_name }));
  }

  /** A page of the ledger (optionally of one status), with the protocols' code and animal. */
  async page(em: EntityManager, runId: string, status: BulkItemStatus | undefined, limit: number, offset: number): Promise<BulkItemRow[]> {
    const where = status ? ' and i.status = ?' : '';
    return selectRows<BulkItemRow>(em, `${ITEM_SELECT}${where} order by i.position limit ? offset ?`, [runId, ...(status ? [status] : []), limit, offset]);
  }

  async count(em: EntityManager, runId: string, status?: BulkItemStatus): Promise<number> {
    const [{ n }] = await selectRows<{ n: number | string }>(em, `select count(*) as n from bulk_items i where i.run_id = ?${status ? ' and i.status = ?' : ''}`, [runId, ...(status ? [status] : [])]);
    return Number(n);
  }
}
