import { Migration } from '@mikro-orm/migrations';

export class Migration20261202221525_Notices extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`notices\` (\`id\` text not null, \`user_id\` text not null, \`kind\` text not null, \`protocol_id\` text not null, \`protocol_code\` text not null, \`report_id\` text null, \`version_number\` integer null, \`reason\` text null, \`dedupe_key\` text not null, \`created_at\` datetime not null, \`read_at\` datetime null, primary key (\`id\`));`);
    this.addSql(`create index "notices_unread_index" on "notices" ("user_id") where "read_at" is null;`);
    this.addSql(`create index \`notices_user_id_created_at_index\` on \`notices\` (\`user_id\`, \`created_at\`);`);
    this.addSql(`create unique index \`notices_user_id_dedupe_key_unique\` on \`notices\` (\`user_id\`, \`dedupe_key\`);`);
  }

}
