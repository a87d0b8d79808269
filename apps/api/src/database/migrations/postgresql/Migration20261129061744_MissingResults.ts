import { Migration } from '@mikro-orm/migrations';

export class Migration20261129061744_MissingResults extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "result_rows_missing_index" on "result_rows" ("version_id") where "value" is null or "value" = '';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "result_rows_missing_index";`);
  }

}
