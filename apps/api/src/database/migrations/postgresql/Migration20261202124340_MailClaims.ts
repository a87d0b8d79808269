import { Migration } from '@mikro-orm/migrations';

/** Outbox claims and retry schedule: next_attempt_at (existing rows are due since they were made), lease_until, resent_at. */
export class Migration20261202124340_MailClaims extends Migration {

  override async up(): Promise<void> {
    this.addSql(`drop index "outbox_status_index";`);

    this.addSql(`alter table "outbox" add column "next_attempt_at" timestamptz null, add column "lease_until" timestamptz null, add column "resent_at" timestamptz null;`);
    this.addSql(`update "outbox" set "next_attempt_at" = "created_at";`);
    this.addSql(`alter table "outbox" alter column "next_attempt_at" set not null;`);
    this.addSql(`create index "outbox_status_next_attempt_at_index" on "outbox" ("status", "next_attempt_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "outbox_status_next_attempt_at_index";`);
    this.addSql(`alter table "outbox" drop column "next_attempt_at", drop column "lease_until", drop column "resent_at";`);

    this.addSql(`create index "outbox_status_index" on "outbox" ("status");`);
  }

}
