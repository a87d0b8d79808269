import { Migration } from '@mikro-orm/migrations';

export class Migration20261202221526_Notices extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "notices" ("id" uuid not null, "user_id" uuid not null, "kind" varchar(32) not null, "protocol_id" uuid not null, "protocol_code" varchar(32) not null, "report_id" uuid null, "version_number" int null, "reason" text null, "dedupe_key" varchar(160) not null, "created_at" timestamptz not null, "read_at" timestamptz null, constraint "notices_pkey" primary key ("id"));`);
    this.addSql(`create index "notices_unread_index" on "notices" ("user_id") where "read_at" is null;`);
    this.addSql(`create index "notices_user_id_created_at_index" on "notices" ("user_id", "created_at");`);
    this.addSql(`alter table "notices" add constraint "notices_user_id_dedupe_key_unique" unique ("user_id", "dedupe_key");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "notices" cascade;`);
  }

}
