import { Migration } from '@mikro-orm/migrations';

export class Migration20261202162428_MailServerResponse extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`outbox\` add column \`server_response\` text null;`);
    this.addSql(`create index \`outbox_created_at_index\` on \`outbox\` (\`created_at\`);`);
  }

}
