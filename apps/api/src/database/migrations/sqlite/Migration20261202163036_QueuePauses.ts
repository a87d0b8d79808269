import { Migration } from '@mikro-orm/migrations';

export class Migration20261202163036_QueuePauses extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`queue_pauses\` (\`id\` text not null, \`queue\` text not null, \`open_queue\` text null, \`reason\` text not null, \`paused_by_id\` text null, \`paused_at\` datetime not null, \`expires_at\` datetime not null, \`resumed_at\` datetime null, \`resumed_by_id\` text null, \`ended_by\` text null, primary key (\`id\`));`);
    this.addSql(`create unique index \`queue_pauses_open_queue_unique\` on \`queue_pauses\` (\`open_queue\`);`);
    this.addSql(`create index \`queue_pauses_queue_paused_at_index\` on \`queue_pauses\` (\`queue\`, \`paused_at\`);`);

    this.addSql(`create index \`jobs_finished_at_index\` on \`jobs\` (\`finished_at\`);`);
  }

}
