import { Migration } from '@mikro-orm/migrations';

export class Migration20261202162503_JobStages extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`jobs\` add column \`stages\` json null;`);
    this.addSql(`create index \`jobs_created_at_index\` on \`jobs\` (\`created_at\`);`);
    this.addSql(`create index \`jobs_kind_state_finished_at_index\` on \`jobs\` (\`kind\`, \`state\`, \`finished_at\`);`);
  }

}
