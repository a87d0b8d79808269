import { Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { QueueName } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';

/** Why a pause ended: an admin resumed it, or its expiry passed. */
export const PauseEnd = { Admin: 'admin', Expired: 'expired' } as const;
export type PauseEnd = (typeof PauseEnd)[keyof typeof PauseEnd];

/**
 * One pause of one queue, kept after it ends (the history). The table is the truth about which
 * queues are paused; Redis (Bull's paused flag) is made to agree with it.
 *
 * `openQueue` is the queue's name while the pause is open and null once it ended: its unique index
 * lets at most one open pause per queue exist on both drivers (NULLs never collide), so two admins
 * pausing at once cannot both win.
 */
@Entity({ tableName: 'queue_pauses' })
@Index({ properties: ['queue', 'pausedAt'] })
export class QueuePauseRow {
  [OptionalProps]?: 'pausedById' | 'pausedAt' | 'resumedAt' | 'resumedById' | 'endedBy' | 'openQueue';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 32 })
  queue!: QueueName;

  @Unique()
  @Property({ type: 'string', length: 32, nullable: true })
  openQueue: QueueName | null = null;

  @Property({ type: 'text' })
  reason!: string;

  /** A plain column (rows outlive users). */
  @Property({ type: 'uuid', nullable: true })
  pausedById: string | null = null;

  @Property({ type: Date })
  pausedAt: Date = new Date();

  @Property({ type: Date })
  expiresAt!: Date;

  @Property({ type: Date, nullable: true })
  resumedAt: Date | null = null;

  /** Null when it expired. */
  @Property({ type: 'uuid', nullable: true })
  resumedById: string | null = null;

  @Property({ type: 'string', length: 16, nullable: true })
  endedBy: PauseEnd | null = null;
}
