import { Migration } from '@mikro-orm/migrations';

export class Migration20261203230000_JobRunTokens extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "jobs" add column "run_token" uuid null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "jobs" drop column "run_token";`);
  }

}
