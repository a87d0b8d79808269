import { Migration } from '@mikro-orm/migrations';

/**
 * Outbox claims and retry schedule: next_attempt_at (existing rows are due since they were made),
 * lease_until, resent_at. SQLite cannot add a NOT NULL column without a default, so the table is
 * rebuilt with its rows.
 */
export class Migration20261202124339_MailClaims extends Migration {

  override async up(): Promise<void> {
    const columns = '`id`, `kind`, `subject_type`, `subject_id`, `version`, `recipient`, `message_id`, `status`, `attempts`, `last_error`, `sent_at`, `created_at`';
    this.addSql(`create table \`outbox_new\` (\`id\` text not null, \`kind\` text not null, \`subject_type\` text not null, \`subject_id\` text not null, \`version\` integer not null, \`recipient\` text not null, \`message_id\` text not null, \`status\` text not null default 'pending', \`attempts\` integer not null default 0, \`last_error\` text null, \`sent_at\` datetime null, \`created_at\` datetime not null, \`next_attempt_at\` datetime not null, \`lease_until\` datetime null, \`resent_at\` datetime null, primary key (\`id\`));`);
    this.addSql(`insert into \`outbox_new\` (${columns}, \`next_attempt_at\`) select ${columns}, \`created_at\` from \`outbox\`;`);
    this.addSql(`drop table \`outbox\`;`);
    this.addSql(`alter table \`outbox_new\` rename to \`outbox\`;`);
    this.addSql(`create unique index \`outbox_kind_subject_id_version_recipient_unique\` on \`outbox\` (\`kind\`, \`subject_id\`, \`version\`, \`recipient\`);`);
    this.addSql(`create index \`outbox_status_next_attempt_at_index\` on \`outbox\` (\`status\`, \`next_attempt_at\`);`);
  }

}
