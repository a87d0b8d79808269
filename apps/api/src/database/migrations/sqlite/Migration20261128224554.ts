import { Migration } from '@mikro-orm/migrations';

export class Migration20261128224554 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`bulk_items\` (\`run_id\` text not null, \`position\` integer not null, \`protocol_id\` text not null, \`status\` text not null default 'pending', \`reason\` text null, \`attempts\` integer not null default 0, \`processed_at\` datetime null, primary key (\`run_id\`, \`position\`));`);

    this.addSql(`create table \`bulk_runs\` (\`id\` text not null, \`number\` integer not null, \`action\` text not null, \`target\` text not null, \`reason\` text null, \`state\` text not null default 'queued', \`total\` integer not null, \`succeeded\` integer not null default 0, \`skipped\` integer not null default 0, \`failed\` integer not null default 0, \`cancelled\` integer not null default 0, \`cancel_requested\` integer not null default false, \`pending_ids\` text null, \`retry_of\` text null, \`job_id\` text not null, \`created_by_id\` text null, \`created_at\` datetime not null, \`started_at\` datetime null, \`finished_at\` datetime null, primary key (\`id\`));`);
    this.addSql(`create unique index \`bulk_runs_number_unique\` on \`bulk_runs\` (\`number\`);`);
    this.addSql(`create index \`bulk_runs_state_created_at_index\` on \`bulk_runs\` (\`state\`, \`created_at\`);`);
  }

}
