import { Migration } from '@mikro-orm/migrations';

export class Migration20261128224554 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "bulk_items" ("run_id" uuid not null, "position" int not null, "protocol_id" uuid not null, "status" varchar(16) not null default 'pending', "reason" varchar(300) null, "attempts" int not null default 0, "processed_at" timestamptz null, constraint "bulk_items_pkey" primary key ("run_id", "position"));`);

    this.addSql(`create table "bulk_runs" ("id" uuid not null, "number" int not null, "action" varchar(32) not null, "target" varchar(16) not null, "reason" varchar(500) null, "state" varchar(16) not null default 'queued', "total" int not null, "succeeded" int not null default 0, "skipped" int not null default 0, "failed" int not null default 0, "cancelled" int not null default 0, "cancel_requested" boolean not null default false, "pending_ids" text null, "retry_of" uuid null, "job_id" uuid not null, "created_by_id" uuid null, "created_at" timestamptz not null, "started_at" timestamptz null, "finished_at" timestamptz null, constraint "bulk_runs_pkey" primary key ("id"));`);
    this.addSql(`alter table "bulk_runs" add constraint "bulk_runs_number_unique" unique ("number");`);
    this.addSql(`create index "bulk_runs_state_created_at_index" on "bulk_runs" ("state", "created_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "bulk_items" cascade;`);

    this.addSql(`drop table if exists "bulk_runs" cascade;`);
  }

}
