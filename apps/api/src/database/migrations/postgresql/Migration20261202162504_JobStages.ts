import { Migration } from '@mikro-orm/migrations';

export class Migration20261202162504_JobStages extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "jobs" add column "stages" jsonb null;`);
    this.addSql(`create index "jobs_created_at_index" on "jobs" ("created_at");`);
    this.addSql(`create index "jobs_kind_state_finished_at_index" on "jobs" ("kind", "state", "finished_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "jobs_created_at_index";`);
    this.addSql(`drop index "jobs_kind_state_finished_at_index";`);
    this.addSql(`alter table "jobs" drop column "stages";`);
  }

}
