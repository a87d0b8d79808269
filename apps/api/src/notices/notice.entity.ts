import { Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { NoticeKind } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';

/**
 * One in-app notice of one vet about their clinic's protocol or report. Written only by
 * NoticesService (its inserts through NoticesRepository), one row per active vet of the clinic, in
 * the transaction of the change it tells of. `dedupeKey` names that change (e.g.
 * `report_finalized:<version id>`): the unique (user, dedupe key) makes a job that runs twice write
 * nothing the second time.
 *
 * The ids are plain columns: a notice outlives nothing it names (protocols and reports are never
 * deleted), and the list needs no join.
 */
@Entity({ tableName: 'notices' })
@Unique({ properties: ['userId', 'dedupeKey'] })
@Index({ properties: ['userId', 'createdAt'] })
// The bell's count: a user's unread notices, from an index of only those.
@Index({
  name: 'notices_unread_index',
  expression: `create index "notices_unread_index" on "notices" ("user_id") where "read_at" is null`,
})
export class Notice {
  [OptionalProps]?: 'createdAt' | 'readAt' | 'reportId' | 'versionNumber' | 'reason';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'string', length: 32 })
  kind!: NoticeKind;

  @Property({ type: 'uuid' })
  protocolId!: string;

  @Property({ type: 'string', length: 32 })
  protocolCode!: string;

  @Property({ type: 'uuid', nullable: true })
  reportId: string | null = null;

  @Property({ type: 'integer', nullable: true })
  versionNumber: number | null = null;

  @Property({ type: 'text', nullable: true })
  reason: string | null = null;

  @Property({ type: 'string', length: 160 })
  dedupeKey!: string;

  @Property({ type: Date })
  createdAt: Date = new Date();

  @Property({ type: Date, nullable: true })
  readAt: Date | null = null;
}
