import { Migration } from '@mikro-orm/migrations';

export class Migration20261202163037_QueuePauses extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "queue_pauses" ("id" uuid not null, "queue" varchar(32) not null, "open_queue" varchar(32) null, "reason" text not null, "paused_by_id" uuid null, "paused_at" timestamptz not null, "expires_at" timestamptz not null, "resumed_at" timestamptz null, "resumed_by_id" uuid null, "ended_by" varchar(16) null, constraint "queue_pauses_pkey" primary key ("id"));`);
    this.addSql(`alter table "queue_pauses" add constraint "queue_pauses_open_queue_unique" unique ("open_queue");`);
    this.addSql(`create index "queue_pauses_queue_paused_at_index" on "queue_pauses" ("queue", "paused_at");`);

    this.addSql(`create index "jobs_finished_at_index" on "jobs" ("finished_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "queue_pauses" cascade;`);

    this.addSql(`drop index "jobs_finished_at_index";`);
  }

}
