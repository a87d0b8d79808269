import { Migration } from '@mikro-orm/migrations';

export class Migration20261202162429_MailServerResponse extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "outbox" add column "server_response" text null;`);
    this.addSql(`create index "outbox_created_at_index" on "outbox" ("created_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "outbox_created_at_index";`);
    this.addSql(`alter table "outbox" drop column "server_response";`);
  }

}
