import { Migration } from '@mikro-orm/migrations';

export class Migration20261203010807_PasswordLinks extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "password_links" ("id" uuid not null, "user_id" uuid not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_by" uuid null, "created_at" timestamptz not null, constraint "password_links_pkey" primary key ("id"));`);
    this.addSql(`create index "password_links_user_id_index" on "password_links" ("user_id");`);
    this.addSql(`alter table "password_links" add constraint "password_links_token_hash_unique" unique ("token_hash");`);

    this.addSql(`alter table "password_links" add constraint "password_links_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "password_links" cascade;`);
  }

}
